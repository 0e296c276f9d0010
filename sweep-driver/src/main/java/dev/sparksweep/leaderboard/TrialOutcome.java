package dev.sparksweep.leaderboard;

import dev.sparksweep.search.Trial;
import dev.sparksweep.train.TrialResult;

import java.io.Serializable;

/**
 * A trial, what training it produced and how it was run: one leaderboard row and its learning curve.
 *
 * @param modelPath     where the trial's trained network was saved; null when it was not (or is not kept)
 * @param continuedFrom the shorter-budget trial of the same configuration whose final checkpoint this trial started
 *                      from (its curve and times include that trial's); null when it trained from scratch
 * @param continuedAt   that trial's budget, the iteration this one started at; 0 from scratch
 */
public record TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath,
                           String continuedFrom, int continuedAt) implements Serializable {

    public TrialOutcome {
        if ((continuedFrom == null) != (continuedAt == 0)) {
            throw new IllegalArgumentException("a continued trial names the trial and the iteration it continued, "
                    + "got " + continuedFrom + " at " + continuedAt);
        }
    }

    /** A trial trained from scratch. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath) {
        this(trial, result, provenance, modelPath, null, 0);
    }

    /** A trial trained from scratch whose network was not saved. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance) {
        this(trial, result, provenance, null);
    }

    /** This outcome with its model at {@code path} (null: not kept). */
    public TrialOutcome withModelPath(String path) {
        return new TrialOutcome(trial, result, provenance, path, continuedFrom, continuedAt);
    }

    /** This outcome of a trial that started from {@code trialId}'s checkpoint at {@code iteration}. */
    public TrialOutcome continuing(String trialId, int iteration) {
        return new TrialOutcome(trial, result, provenance, modelPath, trialId, iteration);
    }

    /**
     * Wall time spent on this trial itself: its whole wall time, less the part done by the trial it continued.
     */
    public double ownWallSeconds() {
        // A trial that failed before training reports no segment time: its wall time is all its own.
        return continuedFrom == null || result.segmentSeconds() == 0 ? result.wallSeconds() : result.segmentSeconds();
    }
}
