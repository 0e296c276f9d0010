package dev.sparksweep.leaderboard;

import java.io.Serializable;
import java.time.Instant;

/**
 * Where, when and with what a trial was trained, so that a leaderboard row can be reproduced.
 *
 * @param executorId  Spark executor that ran the trial ({@code driver} in local mode)
 * @param taskAttempt Spark's attempt number for the trial's task (0 unless it was retried)
 */
public record Provenance(String sparksweepVersion, String dl4jVersion, String nd4jVersion, String sparkVersion,
                         String backend, String host, String executorId, int taskAttempt, Instant startedAt,
                         Instant finishedAt) implements Serializable {
}
