package dev.sparksweep.search;

import dev.sparksweep.train.TrialResult;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Where a running sweep gets its next work when a slot frees: trials from a list planned up front (grid, random,
 * Sobol) or from a sampler that proposes from the results so far (TPE), and under ASHA the segments that continue
 * promoted trials.
 */
public interface TrialSource {

    /** Work still to do in all, for the progress line (an estimate where a scheduler decides as results come). */
    int remaining();

    /** The next work to start now; empty when there is none to start until running work finishes, or no more. */
    Optional<Work> next();

    /** Work this source gave has ended: says how to record it (and, under ASHA, decides the trial's fate). */
    Work.Recorded finished(Work work, TrialResult result);

    /**
     * The record of {@code work} (what {@link #finished} said to write) is committed: what only a rerun replaying
     * an uncommitted decision would need can go now (ASHA: the checkpoints of a trial that ended).
     */
    default void recorded(Work work) {
    }

    /** The sweep has run out of work: nothing left to start, nothing running (not called when it was stopped). */
    default void sweepEnded() {
    }

    /**
     * Work this source has queued since last asked, beyond what it {@linkplain #remaining had} (ASHA starting a
     * finalist's other seeds): the progress line counts it from now on.
     */
    default List<Work> drainAdded() {
        return List.of();
    }

    /**
     * Trials this source has adopted since last asked (another sweep trained them; {@link SharedResults}) whose
     * latest attempt trained its whole budget: under ASHA, configurations that completed the last rung elsewhere.
     */
    default List<Trial> drainAdoptedComplete() {
        return List.of();
    }

    /**
     * Trials this source has adopted so far (another sweep trained them; {@link SharedResults}): the run counts them
     * with those already in the leaderboard.
     */
    default int adopted() {
        return 0;
    }

    /**
     * Work the source may add beyond {@link #remaining} as results come, in words for the run's start line (ASHA's
     * finalist seeds: "then seeds 2, 3 of each configuration that completes"); empty when none.
     */
    default String laterWork() {
        return "";
    }

    /**
     * The iterations a trial this source has not started yet is expected to train in all, for the ETA; NaN when that
     * is simply its budget. Under ASHA most trials stop at an early rung, a few go on, and the finalists add seeds.
     */
    default double expectedIterationsPerNewTrial() {
        return Double.NaN;
    }

    /** Iterations the source plans to train of {@code trial}, for the progress line's first estimate. */
    default int plannedIterations(Trial trial) {
        return trial.training().iterations();
    }

    /** A fixed list, in order. */
    static TrialSource of(List<Trial> trials) {
        Deque<Trial> queue = new ArrayDeque<>(trials);
        return new TrialSource() {
            @Override
            public int remaining() {
                return queue.size();
            }

            @Override
            public Optional<Work> next() {
                return Optional.ofNullable(queue.poll()).map(Work::whole);
            }

            @Override
            public Work.Recorded finished(Work work, TrialResult result) {
                return Work.Recorded.WHOLE;
            }
        };
    }
}
