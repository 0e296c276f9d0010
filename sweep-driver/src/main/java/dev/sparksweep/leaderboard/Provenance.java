package dev.sparksweep.leaderboard;

import dev.sparksweep.device.DeviceAssignment;
import dev.sparksweep.train.MemoryUsage;

import java.io.Serializable;
import java.time.Instant;

/**
 * Where, when and with what a trial was trained, so that a leaderboard row can be reproduced.
 *
 * @param executorId  Spark executor that ran the trial ({@code driver} in local mode)
 * @param taskAttempt Spark's attempt number for the trial's task (0 unless it was retried)
 * @param device      which GPU Spark assigned the trial and what actually computed
 * @param memory      the executor JVM's memory after the trial ({@link MemoryUsage#UNKNOWN} when not measured)
 * @param timeLimitSeconds the time limit the trial ran under, 0 for none
 * @param javaVersion the training JVM's {@code java.version} (the vector kernels come from its JDK)
 * @param jvmVendor   the training JVM's {@code java.vendor}
 */
public record Provenance(String sparksweepVersion, String dl4jVersion, String nd4jVersion, String sparkVersion,
                         String backend, String host, String executorId, int taskAttempt, Instant startedAt,
                         Instant finishedAt, DeviceAssignment device, MemoryUsage memory, long timeLimitSeconds,
                         String javaVersion, String jvmVendor)
        implements Serializable {

    /** Provenance whose JVM is this one (the executor's, when built inside a task). */
    public Provenance(String sparksweepVersion, String dl4jVersion, String nd4jVersion, String sparkVersion,
                      String backend, String host, String executorId, int taskAttempt, Instant startedAt,
                      Instant finishedAt, DeviceAssignment device, MemoryUsage memory, long timeLimitSeconds) {
        this(sparksweepVersion, dl4jVersion, nd4jVersion, sparkVersion, backend, host, executorId, taskAttempt,
                startedAt, finishedAt, device, memory, timeLimitSeconds, System.getProperty("java.version"),
                System.getProperty("java.vendor"));
    }

    public Provenance(String sparksweepVersion, String dl4jVersion, String nd4jVersion, String sparkVersion,
                      String backend, String host, String executorId, int taskAttempt, Instant startedAt,
                      Instant finishedAt) {
        this(sparksweepVersion, dl4jVersion, nd4jVersion, sparkVersion, backend, host, executorId, taskAttempt,
                startedAt, finishedAt, new DeviceAssignment(null, "unknown"), MemoryUsage.UNKNOWN, 0);
    }
}
