package dev.sparksweep.search.scheduling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rung a trial reached in an earlier run, as the leaderboard's {@code rungs} table keeps it: enough to replay the
 * scheduler's state and resume a promoted trial.
 *
 * @param score         what ASHA ranked (validation accuracy at the rung; NaN for a failed or diverged segment)
 * @param configuration the trial's hyperparameters, to rebuild the trial
 * @param checkpoint    where its state at the rung was written (null when not kept)
 */
public record RungRecord(String trialId, int rung, double score, Asha.Decision decision, String checkpoint,
                         Map<String, Object> configuration) {

    /** Stopped by ASHA for its score at the rung (rather than ended by a failure, which scores NaN). */
    public boolean stoppedForScore() {
        return decision == Asha.Decision.STOPPED && !Double.isNaN(score);
    }

    /**
     * The trials of this sweep that are under way (promoted at their latest rung record, no final row), with their
     * configurations: not to start anew. A trial whose records end otherwise without a final row (it failed, or
     * {@code --retry} names its status) is not under way: it trains again.
     */
    public static Map<String, Map<String, Object>> underWay(List<RungRecord> history, Set<String> finishedIds) {
        Map<String, RungRecord> latest = new LinkedHashMap<>();
        for (RungRecord r : history) {
            latest.merge(r.trialId(), r, (a, b) -> b.rung() > a.rung() ? b : a);
        }
        Map<String, Map<String, Object>> trials = new LinkedHashMap<>();
        latest.values().stream()
                .filter(r -> !finishedIds.contains(r.trialId()) && r.decision() == Asha.Decision.PROMOTED)
                .forEach(r -> trials.put(r.trialId(), r.configuration()));
        return trials;
    }
}
