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
 * @param scheduler  fifo (every trial its whole budget) or asha
 * @param asha       ASHA's settings; used with {@code scheduler = asha}
 */
public record SearchSettings(Algorithm algorithm, int trials, long seed, List<Long> seeds, int startup,
                             int candidates, Scheduler scheduler, AshaSettings asha) {

    /** How much of its budget each trial gets. */
    public enum Scheduler {
        FIFO, ASHA;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scheduler parse(String text) {
            return byId(values(), text);
        }
    }

    /**
     * ASHA's rungs and what is kept.
     *
     * @param minIterations   the first rung
     * @param maxIterations   the last rung: every trial's full budget (its {@code iterations})
     * @param reductionFactor eta: rungs grow by it, and the top 1/eta of each rung is promoted
     * @param keepCheckpoints keep the checkpoints of trials that ended (default: deleted)
     * @param completeSeeds   once one seed of a configuration completes the last rung, complete its other seeds too
     * @param otherSeeds      when a configuration's seeds after the first start training
     */
    public record AshaSettings(int minIterations, int maxIterations, int reductionFactor, boolean keepCheckpoints,
                               boolean completeSeeds, OtherSeeds otherSeeds) {
    }

    /**
     * When the seeds of a configuration after the first train under ASHA ({@code sweep.search.asha.other-seeds}).
     * {@code ALL}: every seed from the start, each a trial ASHA decides on its own score. {@code FINALISTS}: the
     * search runs on the first seed alone (one trial per configuration at every rung, a third of the compute with
     * three seeds), and a configuration's other seeds train, through every rung, once it completes the last one.
     */
    public enum OtherSeeds {
        ALL, FINALISTS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static OtherSeeds parse(String text) {
            return byId(values(), text);
        }
    }

    /** The search algorithms. */
    public enum Algorithm {
        GRID, RANDOM, SOBOL, TPE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Algorithm parse(String text) {
            return byId(values(), text);
        }
    }

    public SearchSettings {
        seeds = List.copyOf(seeds);
    }

    /** The constant whose lower-case name is {@code text} (blanks and case aside); the message lists the choices. */
    private static <E extends Enum<E>> E byId(E[] values, String text) {
        String id = text.strip().toLowerCase(Locale.ROOT);
        List<String> ids = new java.util.ArrayList<>();
        for (E e : values) {
            String name = e.name().toLowerCase(Locale.ROOT);
            if (name.equals(id)) {
                return e;
            }
            ids.add(name);
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", ids));
    }

    /** Whether configurations are drawn by a sampler rather than enumerated. */
    public boolean sampled() {
        return algorithm != Algorithm.GRID;
    }
}
