package dev.sparksweep.schedule;

import java.time.Duration;

/**
 * Counts of a running sweep and the line that shows them. The ETA assumes the remaining trials take as long as the
 * finished ones did on average, spread over the slots that run in parallel.
 */
public final class SweepProgress {

    private final String sweep;
    private final int total;
    private final int slots;
    private final long startNanos;
    private int running;
    private int done;
    private int failed;
    private double busySeconds;

    public SweepProgress(String sweep, int total, int slots) {
        this.sweep = sweep;
        this.total = total;
        this.slots = Math.max(1, slots);
        this.startNanos = System.nanoTime();
    }

    public synchronized void started() {
        running++;
    }

    /** @param failed whether the trial ended other than ok (diverged or failed) */
    public synchronized void finished(boolean failed, double trialSeconds) {
        running--;
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
        String eta = done == 0 ? "?" : format(Duration.ofMillis(
                (long) (1000 * busySeconds / done * (total - done) / Math.min(slots, Math.max(1, total - done)))));
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
