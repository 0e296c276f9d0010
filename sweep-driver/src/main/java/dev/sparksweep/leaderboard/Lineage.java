package dev.sparksweep.leaderboard;

import java.io.Serializable;

/**
 * Where a trial's training did not start from scratch in one go: it continued the final checkpoint of a shorter
 * budget of its configuration (a budget chain), or it continued its own progress checkpoint after an interruption.
 * Either way its results are those of training straight through; this says how they were reached.
 *
 * @param continuedFrom    the shorter-budget trial whose final checkpoint it started from; null for none
 * @param continuedAt      that trial's budget, where this one started; 0 for none
 * @param inheritedSeconds that trial's wall time, which this one's includes; 0 for none, NaN where unknown
 * @param resumedAt        the iteration of its own progress checkpoint it continued from after an interruption; 0
 *                         for none
 */
public record Lineage(String continuedFrom, int continuedAt, double inheritedSeconds, int resumedAt)
        implements Serializable {

    /** Trained from scratch, in one go. */
    public static final Lineage NONE = new Lineage(null, 0, 0, 0);

    public Lineage {
        if ((continuedFrom == null) != (continuedAt == 0)) {
            throw new IllegalArgumentException("a continued trial names the trial and the iteration it continued, "
                    + "got " + continuedFrom + " at " + continuedAt);
        }
        if (resumedAt < 0) {
            throw new IllegalArgumentException("resumed at a negative iteration: " + resumedAt);
        }
    }

    /** This lineage, continuing {@code trialId}'s final checkpoint at {@code iteration}, inheriting its wall time. */
    public Lineage continuing(String trialId, int iteration, double wallSeconds) {
        return new Lineage(trialId, iteration, wallSeconds, resumedAt);
    }

    /** This lineage, resumed from the trial's own progress checkpoint at {@code iteration}. */
    public Lineage resumed(int iteration) {
        return new Lineage(continuedFrom, continuedAt, inheritedSeconds, iteration);
    }
}
