package dev.sparksweep.search;

import java.util.Optional;

/**
 * Results another sweep already has for a trial a sampler proposes. Trial ids do not depend on the sweep's name, so a
 * sampled configuration can be one another sweep trained: the sampler counts that trial as its sweep's own (and learns
 * from its score) instead of training it again or dropping it unseen.
 */
@FunctionalInterface
public interface SharedResults {

    /** No sharing: for samplers that run against an empty leaderboard (tests). */
    SharedResults NONE = trialId -> Optional.empty();

    /**
     * What an adopted trial's latest finished attempt measured.
     *
     * @param score    best validation accuracy, test accuracy where there is none; NaN for a diverged trial
     * @param complete whether it trained its whole budget (status ok; not stopped early by ASHA, diverged or timed
     *                 out)
     * @param recorded whether this call made it a member (false: the sweep had adopted it before, say as a planned
     *                 trial), so that a run counts each adopted trial once
     */
    record Adopted(double score, boolean complete, boolean recorded) {
    }

    /**
     * Records the finished trial {@code trialId} as a member of the proposing sweep and returns what it measured, or
     * empty if the leaderboard holds no finished attempt of it.
     */
    Optional<Adopted> adopt(String trialId);
}
