package dev.sparksweep.search;

import java.util.List;
import java.util.Locale;

/**
 * How a sweep searches its space ({@code sweep.search}).
 *
 * @param algorithm  grid (every combination of the space's lists) or a sampler
 * @param trials     configurations a sampler proposes (each runs on every seed); unused by the grid
 * @param seed       the sampler's seed: the same sweep file proposes the same configurations
 * @param seeds      the trial seeds every sampled configuration runs on
 * @param startup    TPE: configurations drawn uniformly before it models the results
 * @param candidates TPE: candidates drawn per parameter, of which the most promising is proposed
 */
public record SearchSettings(Algorithm algorithm, int trials, long seed, List<Long> seeds, int startup,
                             int candidates) {

    /** The search algorithms. */
    public enum Algorithm {
        GRID, RANDOM, SOBOL, TPE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Algorithm parse(String text) {
            for (Algorithm a : values()) {
                if (a.id().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of grid, random, sobol, tpe");
        }
    }

    public SearchSettings {
        seeds = List.copyOf(seeds);
    }

    /** Whether configurations are drawn by a sampler rather than enumerated. */
    public boolean sampled() {
        return algorithm != Algorithm.GRID;
    }
}
