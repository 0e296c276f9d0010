package dev.sparksweep.schedule;

import java.time.Duration;

/**
 * Counts of a running sweep and the line that shows them. The ETA assumes every trial takes as long as the finished
 * ones did on average: what the running trials still need, plus the queued ones, spread over the parallel slots.
 */
public final class SweepProgress {

    private final String sweep;
    private final int total;
    private int slots;
    private final long startNanos;
    private int running;
    private int done;
    private int failed;
    private double busySeconds;
    private final java.util.Map<String, Long> runningSince = new java.util.HashMap<>();

    public SweepProgress(String sweep, int total, int slots) {
        this.sweep = sweep;
        this.total = total;
        this.slots = Math.max(1, slots);
        this.startNanos = System.nanoTime();
    }

    /** Executors come and go (and register only after the sweep starts): the ETA follows the slots there are. */
    public synchronized void slots(int value) {
        slots = Math.max(1, value);
    }

    public synchronized void started(String trialId) {
        running++;
        runningSince.put(trialId, System.nanoTime());
    }

    /** @param failed whether the trial ended other than ok (diverged or failed) */
    public synchronized void finished(String trialId, boolean failed, double trialSeconds) {
        running--;
        runningSince.remove(trialId);
        done++;
        if (failed) {
            this.failed++;
        }
        busySeconds += trialSeconds;
    }

    public synchronized int done() {
        return done;
    }

    public synchronized int failed() {
        return failed;
    }

    public synchronized String line() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        int queued = total - done - running;
        String eta = "?";
        if (done > 0) {
            double mean = busySeconds / done;
            long now = System.nanoTime();
            double left = (total - done - runningSince.size()) * mean;
            for (long since : runningSince.values()) {
                left += Math.max(0, mean - (now - since) / 1e9);
            }
            eta = format(Duration.ofMillis((long) (1000 * left / Math.min(slots, Math.max(1, total - done)))));
        }
        return String.format("[%s] %d/%d done, %d running, %d queued, %d not ok | elapsed %s | ETA %s",
                sweep, done, total, running, queued, failed, format(elapsed), eta);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
