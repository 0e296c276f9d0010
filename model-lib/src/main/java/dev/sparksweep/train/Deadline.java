package dev.sparksweep.train;

import java.time.Duration;

/**
 * A training segment's time limit (none when zero), also honouring a Spark task kill (thread interrupt). Checked
 * before every iteration and every evaluation batch.
 */
record Deadline(long startNanos, Duration limit) {

    /** No time limit: only an interrupt stops the work. */
    static Deadline none() {
        return new Deadline(System.nanoTime(), Duration.ZERO);
    }

    void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("the trial's task was cancelled");
        }
        if (!limit.isZero() && System.nanoTime() - startNanos > limit.toNanos()) {
            throw new Exceeded();
        }
    }

    /** Thrown by {@link #check()} past the limit; the trainer turns it into a timed-out result. */
    static final class Exceeded extends RuntimeException {

        Exceeded() {
            // No stack trace: it is control flow, thrown once per trial at most.
            super(null, null, false, false);
        }
    }
}
