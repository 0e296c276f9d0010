package dev.sparksweep.search;

import dev.sparksweep.search.params.Configurations;
import dev.sparksweep.search.params.Domain;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.search.params.Space;
import dev.sparksweep.search.sampling.UnitPoints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trials a sweep plans up front: every configuration of the grid, or the first {@code sweep.search.trials}
 * points of a random or Sobol sequence (each on every seed). TPE proposes as results arrive instead
 * ({@link TpeTrials}). Each list is a function of the sweep file alone, so a rerun plans the same trials and skips the
 * finished ones, and raising the trial count extends the same sequence.
 */
public final class SpaceExpander {

    /** Above this a grid is not even counted. */
    private static final long COUNT_CAP = 10_000_000;

    private SpaceExpander() {
    }

    /**
     * The sweep's distinct trials in a stable order.
     *
     * @param datasetChecksum identity of the dataset, folded into every trial id
     */
    public static List<Trial> expand(SweepDefinition sweep, String datasetChecksum) {
        List<Map<String, Object>> configurations = switch (sweep.search().algorithm()) {
            case GRID -> grid(sweep);
            case RANDOM, SOBOL -> sampled(sweep);
            case TPE -> throw new IllegalStateException("TPE proposes its trials as results arrive: use TpeTrials");
        };
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (Map<String, Object> c : configurations) {
            Trial trial = trial(sweep, c, datasetChecksum);
            trials.putIfAbsent(trial.id(), trial);
        }
        return List.copyOf(trials.values());
    }

    /** How many trials the sweep plans at most: the grid's size, or configurations x seeds. */
    public static long plannedSize(SweepDefinition sweep) {
        return sweep.search().sampled() ? (long) sweep.search().trials() * seeds(sweep).size()
                : sweep.space().gridSize(COUNT_CAP);
    }

    /** The trial of one configuration under the sweep's settings. */
    public static Trial trial(SweepDefinition sweep, Map<String, Object> configuration, String datasetChecksum) {
        return Trial.of(Configurations.model(configuration), Configurations.training(configuration, sweep.evalEvery(),
                sweep.evalBatchSize(), sweep.threadsPerTrial(), sweep.testCurve()), sweep.data(), datasetChecksum);
    }

    /**
     * The seeds each configuration the search proposes starts on: all its {@link #seeds}, or only the first when ASHA
     * trains the others for the finalists alone ({@code sweep.search.asha.other-seeds = finalists}).
     */
    public static List<Long> searchSeeds(SweepDefinition sweep) {
        List<Long> all = seeds(sweep);
        return finalistSeeds(sweep) ? all.subList(0, Math.min(1, all.size())) : all;
    }

    /**
     * How many seeds a configuration runs on: its {@link #seeds}, or, where the seed list depends on another parameter
     * ({@code seed { lstm = [1, 2], gru = [3] }}), the longest of those lists.
     */
    public static int seedsPerConfiguration(SweepDefinition sweep) {
        if (sweep.search().sampled() && !sweep.search().seeds().isEmpty()) {
            return sweep.search().seeds().size();
        }
        return seedCount(sweep.space().domain(Params.SEED));
    }

    private static int seedCount(Domain domain) {
        if (domain instanceof Domain.Values v) {
            return v.values().size();
        }
        if (domain instanceof Domain.Keyed k) {
            return k.byValue().values().stream().mapToInt(SpaceExpander::seedCount).max().orElse(1);
        }
        return 1;
    }

    /** Whether ASHA trains the seeds after the first only for configurations that complete the last rung. */
    public static boolean finalistSeeds(SweepDefinition sweep) {
        return sweep.search().scheduler() == SearchSettings.Scheduler.ASHA
                && sweep.search().asha().otherSeeds() == SearchSettings.OtherSeeds.FINALISTS;
    }

    /**
     * The seeds each configuration runs on: for a sampled search sweep.search.seeds, else (and always for a grid) the
     * space's seed list.
     */
    public static List<Long> seeds(SweepDefinition sweep) {
        if (sweep.search().sampled() && !sweep.search().seeds().isEmpty()) {
            return sweep.search().seeds();
        }
        List<Long> seeds = new ArrayList<>();
        for (Object s : ((Domain.Values) sweep.space().domain(Params.SEED)).values()) {
            seeds.add(((Number) s).longValue());
        }
        return seeds;
    }

    private static List<Map<String, Object>> grid(SweepDefinition sweep) {
        long size = sweep.space().gridSize(COUNT_CAP);
        if (size > sweep.maxTrials()) {
            throw new SweepConfigException(sweep.source() + ": the search space has "
                    + (size > COUNT_CAP ? "more than " + COUNT_CAP : Long.toString(size))
                    + " trials, more than sweep.max-trials = " + sweep.maxTrials()
                    + " (shrink the space, raise sweep.max-trials, or sample it with sweep.search.algorithm)");
        }
        return sweep.space().grid(sweep.maxTrials());
    }

    private static UnitPoints points(Space space, SearchSettings search) {
        int dimension = space.sampled().size();
        return search.algorithm() == SearchSettings.Algorithm.SOBOL ? new UnitPoints.Sobol(search.seed(), dimension)
                : new UnitPoints.Uniform(search.seed(), dimension);
    }

    private static List<Map<String, Object>> sampled(SweepDefinition sweep) {
        requireWithinLimit(sweep);
        UnitPoints points = points(sweep.space(), sweep.search());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < sweep.search().trials(); i++) {
            double[] u = points.point(i);
            for (long seed : seeds(sweep)) {
                out.add(sweep.space().at(u, seed));
            }
        }
        return out;
    }

    /** A sampled sweep's trials (configurations x seeds) must stay within sweep.max-trials too. */
    public static void requireWithinLimit(SweepDefinition sweep) {
        long planned = plannedSize(sweep);
        if (planned > sweep.maxTrials()) {
            throw new SweepConfigException(sweep.source() + ": sweep.search.trials = " + sweep.search().trials()
                    + " configurations x " + seeds(sweep).size() + " seeds = " + planned
                    + " trials, more than sweep.max-trials = " + sweep.maxTrials());
        }
    }
}
