package dev.sparksweep.schedule;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.SegmentRecord;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Records what a piece of work produced: commits it to the results (a whole trial's row and curve, or an ASHA
 * segment's rung record with the trial's row when it ends), moves the progress on, and prints the trial's line.
 * Runs on the sweep's single writer thread, so a trial slot starts its next work without waiting for it.
 */
final class OutcomeRecorder {

    private final String sweep;
    private final LeaderboardStore store;
    private final PrintStream out;
    private final SweepProgress progress;
    private final List<TrialTiming> timings;
    private final ModelKeeper models;

    OutcomeRecorder(String sweep, LeaderboardStore store, PrintStream out, SweepProgress progress,
                    List<TrialTiming> timings, ModelKeeper models) {
        this.sweep = sweep;
        this.store = store;
        this.out = out;
        this.progress = progress;
        this.timings = timings;
        this.models = models;
    }

    /** @param jobSeconds how long the work's Spark job took, for the timings */
    void record(Work work, Work.Recorded recorded, TrialOutcome ran, double jobSeconds) {
        Trial trial = work.trial();
        if (recorded == Work.Recorded.SKIP) {
            progress.continued(work.id(), ran.result().wallSeconds(), 0);
            out.printf("  %s %-40s %-12s %s%n", trial.id(), trial.describe(), "redo", ran.result().error());
            return;
        }
        TrialOutcome outcome = models.keep(recorded.stopped() ? stopped(ran, work)
                : work.continues() ? ran.continuing(work.continuation().fromTrialId(), work.fromIteration(),
                work.continuation().inheritedSeconds()) : ran);
        long append = System.nanoTime();
        Work.Segment s = work.segment();
        if (s == null) {
            store.append(sweep, outcome);
        } else {
            store.appendSegment(sweep, outcome, new SegmentRecord(s.rung(), s.fromIteration(), recorded.decision(),
                    recorded.decision().equals("promoted") ? s.checkpointTo() : null, s.note(), recorded.trialEnds(),
                    jobSeconds));
        }
        models.deleteEvicted(); // only now that the row that displaced them is committed
        timings.add(new TrialTiming(work.id(), jobSeconds, outcome.result().wallSeconds(),
                (System.nanoTime() - append) / 1e9));
        TrialStatus status = outcome.result().status();
        // The pace of this work alone: a trial's wall time includes its earlier segments (ASHA), the budget it
        // continued (chains) and the run before its progress checkpoint, none of which this work trained.
        int resumedAt = outcome.lineage().resumedAt();
        int trained = work.iterations() - (resumedAt > 0 ? resumedAt - work.fromIteration() : 0);
        TrialResult r = outcome.result();
        double seconds = r.segmentSeconds() > 0 ? r.segmentSeconds() : r.wallSeconds();
        if (recorded.trialEnds()) {
            boolean ok = status == TrialStatus.OK || status == TrialStatus.STOPPED;
            progress.finished(work.id(), trial.id(), !ok, seconds, trained);
        } else {
            progress.continued(work.id(), seconds, trained);
        }
        String what = s == null ? status.id() : "r" + s.rung() + " " + recorded.decision();
        out.printf("  %s %-40s %-12s %s%s%s%n", trial.id(), trial.describe(), what, summary(outcome.result()),
                work.continues() ? " (continued " + outcome.continuedFrom() + " from iteration " + work.fromIteration()
                        + (Double.isFinite(outcome.ownWallSeconds()) ? ", " + SweepProgress.format(Duration.ofMillis(
                        (long) (outcome.ownWallSeconds() * 1000))) + " of its own" : "") + ")" : "",
                outcome.lineage().resumedAt() > 0 ? " (resumed from its progress checkpoint at iteration "
                        + outcome.lineage().resumedAt() + ")" : "");
    }

    /** The outcome of a trial ASHA stopped at a rung: what it measured there, with status stopped. */
    private static TrialOutcome stopped(TrialOutcome ran, Work work) {
        TrialResult r = ran.result();
        String why = "stopped by ASHA at rung " + work.segment().rung() + " (" + r.iterationsDone()
                + " iterations): not in the top of the trials that reached it";
        return new TrialOutcome(ran.trial(), new TrialResult(TrialStatus.STOPPED, why, r.bestValidationAccuracy(),
                r.bestIteration(), r.finalValidationAccuracy(), r.testAccuracy(), r.finalLoss(), r.curve(),
                r.iterationsDone(), r.wallSeconds(), r.trainSeconds(), r.iterationsPerSecond(), r.parameterCount(),
                r.segmentSeconds()),
                ran.provenance());
    }

    private static String summary(TrialResult r) {
        if (r.status() != TrialStatus.OK) {
            return r.error();
        }
        String accuracy = (Double.isNaN(r.bestValidationAccuracy()) ? ""
                : String.format("val %.2f%% ", 100 * r.bestValidationAccuracy()))
                + String.format("test %.2f%%", 100 * r.testAccuracy());
        return String.format("%s | %.1f it/s, %s", accuracy, r.iterationsPerSecond(),
                SweepProgress.format(Duration.ofMillis((long) (r.wallSeconds() * 1000))));
    }
}
