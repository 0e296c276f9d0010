package dev.sparksweep.leaderboard;

/**
 * What the driver knows of an ASHA segment beyond its training result, recorded in its rung row.
 *
 * @param rung          the rung the segment trained to
 * @param fromIteration where it started (its checkpoint's iteration; 0 from scratch): curve points up to it are
 *                      already recorded
 * @param decision      promoted, stopped or completed (or the trial's status where it ended otherwise)
 * @param checkpoint    where the trial's state at this rung was written, if kept
 * @param note          how the segment started when that is worth saying (restarted from scratch, ...)
 * @param trialEnds     whether the trial ends here, so its leaderboard row is written too
 * @param jobSeconds    the segment's Spark job, submitted to result, as the driver timed it
 */
public record SegmentRecord(int rung, int fromIteration, String decision, String checkpoint, String note,
                            boolean trialEnds, double jobSeconds) {
}
