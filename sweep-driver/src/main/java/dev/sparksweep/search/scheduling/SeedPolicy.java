package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SharedResults;

import java.util.List;

/**
 * How ASHA schedules a sweep's seeds ({@link AshaTrials}).
 *
 * @param complete the seeds each configuration searches on, all of which are completed once one completes the
 *                 last rung ({@link SeedCompletion}); 0 or 1 for plain ASHA
 * @param later    seeds the search leaves out, trained (through every rung, promoted at each) only for
 *                 configurations that complete the last rung ({@code asha.other-seeds = finalists})
 * @param shared   adopts a later seed another sweep already finished
 */
public record SeedPolicy(int complete, List<Long> later, SharedResults shared) {
    /** Every seed a trial of its own, decided on its own score. */
    public static final SeedPolicy PLAIN = new SeedPolicy(0, List.of(), SharedResults.NONE);

    public SeedPolicy {
        later = List.copyOf(later);
    }

    /** All {@code seeds} of a configuration are completed once one of them completes the last rung. */
    public static SeedPolicy complete(int seeds) {
        return new SeedPolicy(seeds, List.of(), SharedResults.NONE);
    }
}
