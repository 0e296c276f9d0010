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
 * @param inheritedSeconds that trial's wall time, which this one's includes; 0 from scratch, NaN where unknown
 */
public record TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath,
                           String continuedFrom, int continuedAt, double inheritedSeconds) implements Serializable {

    public TrialOutcome {
        if ((continuedFrom == null) != (continuedAt == 0)) {
            throw new IllegalArgumentException("a continued trial names the trial and the iteration it continued, "
                    + "got " + continuedFrom + " at " + continuedAt);
        }
    }

    /** A trial trained from scratch. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath) {
        this(trial, result, provenance, modelPath, null, 0, 0);
    }

    /** A trial trained from scratch whose network was not saved. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance) {
        this(trial, result, provenance, null);
    }

    /** This outcome with its model at {@code path} (null: not kept). */
    public TrialOutcome withModelPath(String path) {
        return new TrialOutcome(trial, result, provenance, path, continuedFrom, continuedAt, inheritedSeconds);
    }

    /**
     * This outcome of a trial that started from {@code trialId}'s final checkpoint at {@code iteration}, inheriting
     * its {@code wallSeconds}.
     */
    public TrialOutcome continuing(String trialId, int iteration, double wallSeconds) {
        return new TrialOutcome(trial, result, provenance, modelPath, trialId, iteration, wallSeconds);
    }

    /**
     * Wall time spent on this trial itself: its whole wall time, less what it inherited from the trial it continued
     * (NaN where that is unknown). A trial that failed before training from the checkpoint inherited nothing.
     */
    public double ownWallSeconds() {
        return continuedFrom == null || result.iterationsDone() == 0 ? result.wallSeconds()
                : result.wallSeconds() - inheritedSeconds;
    }
}
