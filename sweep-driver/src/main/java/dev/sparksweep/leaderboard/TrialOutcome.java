package dev.sparksweep.leaderboard;

import dev.sparksweep.search.Trial;
import dev.sparksweep.train.TrialResult;

import java.io.Serializable;
import java.util.Objects;

/**
 * A trial, what training it produced and how it was run: one leaderboard row and its learning curve.
 *
 * @param modelPath where the trial's trained network was saved; null when it was not (or is not kept)
 * @param lineage   what its training continued, if anything ({@link Lineage#NONE} from scratch in one go)
 */
public record TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath, Lineage lineage)
        implements Serializable {

    public TrialOutcome {
        Objects.requireNonNull(lineage, "lineage");
    }

    /** A trial trained from scratch in one go. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance, String modelPath) {
        this(trial, result, provenance, modelPath, Lineage.NONE);
    }

    /** A trial trained from scratch in one go whose network was not saved. */
    public TrialOutcome(Trial trial, TrialResult result, Provenance provenance) {
        this(trial, result, provenance, null);
    }

    /** This outcome with its model at {@code path} (null: not kept). */
    public TrialOutcome withModelPath(String path) {
        return new TrialOutcome(trial, result, provenance, path, lineage);
    }

    /**
     * This outcome of a trial that started from {@code trialId}'s final checkpoint at {@code iteration}, inheriting
     * its {@code wallSeconds}.
     */
    public TrialOutcome continuing(String trialId, int iteration, double wallSeconds) {
        return new TrialOutcome(trial, result, provenance, modelPath, lineage.continuing(trialId, iteration,
                wallSeconds));
    }

    /** This outcome of a trial that continued its own progress checkpoint at {@code iteration}. */
    public TrialOutcome resumed(int iteration) {
        return new TrialOutcome(trial, result, provenance, modelPath, lineage.resumed(iteration));
    }

    /** The shorter-budget trial this one continued; null for none. */
    public String continuedFrom() {
        return lineage.continuedFrom();
    }

    /**
     * Wall time spent on this trial itself: its whole wall time, less what it inherited from the trial it continued
     * (NaN where that is unknown). A trial that failed before training from the checkpoint inherited nothing.
     */
    public double ownWallSeconds() {
        return lineage.continuedFrom() == null || result.iterationsDone() == 0 ? result.wallSeconds()
                : result.wallSeconds() - lineage.inheritedSeconds();
    }
}
