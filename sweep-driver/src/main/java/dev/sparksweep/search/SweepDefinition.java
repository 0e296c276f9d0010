package dev.sparksweep.search;

import dev.sparksweep.search.params.Space;
import dev.sparksweep.train.StopRules;

/**
 * A validated sweep: its name, the space to search, the data every trial uses, and how trials are measured.
 *
 * @param space               the values or distribution of every declared hyperparameter
 * @param search              grid or sampler, and the sampler's settings
 * @param source              where the definition came from (a file path or "embedded:quick"), for messages and
 *                            provenance
 * @param timeLimit           wall time one trial may train before it is stopped as timed out; zero for none. Not part
 *                            of a trial's identity: it bounds the run, not what is trained.
 * @param divergenceLossRatio a trial whose evaluation windows average above this multiple of its starting loss is
 *                            diverged (see {@link StopRules}); like the time limit, not part of a trial's identity
 * @param divergencePatience  how many evaluation windows in a row must be above it; 0 turns that rule off
 * @param saveModels          which trained networks to keep; not part of a trial's identity either
 * @param continueBudgets     whether a trial continues the final checkpoint of a shorter budget of its configuration
 *                            where that is exact (see {@code BudgetChains}); changes cost, not results
 * @param checkpointEvery     how often a training trial saves its progress, to continue from after an interruption;
 *                            zero for never; changes what an interruption costs, not results
 */
public record SweepDefinition(String name, String source, Space space, SearchSettings search, DataSpec data,
                              int evalEvery,
                              int evalBatchSize, int threadsPerTrial, int maxTrials, boolean testCurve,
                              java.time.Duration timeLimit, double divergenceLossRatio, int divergencePatience,
                              SaveModels saveModels, boolean continueBudgets,
                              java.time.Duration checkpointEvery) {

    /**
     * Whether budgets of one configuration train as a chain: asked for, and no time limit, which bounds each trial's
     * own wall time and so would let a continued trial train longer than one trained from scratch.
     */
    public boolean chainsBudgets() {
        return continueBudgets && timeLimit.isZero();
    }

    /**
     * How often trials save their progress: never with a time limit, which bounds each run of a trial, so a trial
     * continued after an interruption could train longer in all than the limit.
     */
    public java.time.Duration progressCheckpoints() {
        return timeLimit.isZero() ? checkpointEvery : java.time.Duration.ZERO;
    }

    /** How every trial of this sweep may stop early. */
    public StopRules stopRules() {
        return new StopRules(timeLimit, divergenceLossRatio, divergencePatience);
    }
}
