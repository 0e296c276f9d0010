package dev.sparksweep.search.scheduling;

import java.util.Map;

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
}
