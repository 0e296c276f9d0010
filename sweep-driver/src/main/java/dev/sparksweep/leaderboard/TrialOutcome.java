package dev.sparksweep.leaderboard;

import dev.sparksweep.search.Trial;
import dev.sparksweep.train.TrialResult;

import java.io.Serializable;

/**
 * A trial, what training it produced and how it was run: one leaderboard row and its learning curve.
 *
 * @param modelPath where the trial's trained network was saved; null when it was not (or is not kept)
 */
public record TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath)
        implements Serializable {

    /** A trial whose network was not saved. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance) {
        this(trial, result, provenance, null);
    }

    /** This outcome with its model at {@code path} (null: not kept). */
    public TrialOutcome withModelPath(String path) {
        return new TrialOutcome(trial, result, provenance, path);
    }
}
