package dev.sparksweep.search;

import dev.sparksweep.train.TrialResult;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Where a running sweep gets its next trial when a slot frees: a list planned up front (grid, random, Sobol), or a
 * sampler that proposes from the results so far (TPE).
 */
public interface TrialSource {

    /** Trials still to train in all, for the progress line (an upper bound where trials collapse into one id). */
    int remaining();

    /** The next trial to start now; empty when there is none to start until a running one finishes, or no more. */
    Optional<Trial> next();

    /** A trial this source gave has ended. */
    void finished(Trial trial, TrialResult result);

    /** A fixed list, in order. */
    static TrialSource of(List<Trial> trials) {
        Deque<Trial> queue = new ArrayDeque<>(trials);
        return new TrialSource() {
            @Override
            public int remaining() {
                return queue.size();
            }

            @Override
            public Optional<Trial> next() {
                return Optional.ofNullable(queue.poll());
            }

            @Override
            public void finished(Trial trial, TrialResult result) {
            }
        };
    }
}
