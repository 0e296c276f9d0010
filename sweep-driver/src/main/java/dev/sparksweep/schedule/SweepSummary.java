package dev.sparksweep.schedule;

import java.util.List;

/**
 * What one run of a sweep did.
 *
 * @param skipped trials already finished in the leaderboard, not trained again
 * @param trained trials trained in this run (ok or not)
 * @param notOk   trials of this run that diverged or failed
 * @param timings per trained trial, in the order they finished
 */
public record SweepSummary(String sweep, int total, int skipped, int trained, int notOk, double wallSeconds,
                           List<TrialTiming> timings) {

    public SweepSummary {
        timings = List.copyOf(timings);
    }
}
