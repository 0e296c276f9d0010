package dev.sparksweep.search;

import com.typesafe.config.Config;
import dev.sparksweep.search.params.Domain;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.search.params.Space;

import java.util.List;

/**
 * Reads {@code sweep.search}: the algorithm, its seeds and sampler settings, and the scheduler with ASHA's rungs. Each
 * setting is checked on its own and against the space (a distribution needs a sampler, ASHA one iteration budget),
 * naming the key and value at fault.
 */
final class SearchSettingsReader {

    private final Config config;
    private final ConfigValues read;

    SearchSettingsReader(Config config) {
        this.config = config;
        this.read = new ConfigValues(config);
    }

    /**
     * ASHA's settings. Every trial's budget is the last rung: max-iterations, or (0) the space's single iterations
     * value, which must then agree.
     */
    private SearchSettings.AshaSettings asha(Space space, SearchSettings.Scheduler scheduler) {
        int min = read.atLeast("sweep.search.asha.min-iterations", 1);
        int max = read.atLeast("sweep.search.asha.max-iterations", 0);
        int eta = read.atLeast("sweep.search.asha.reduction-factor", 2);
        boolean keep = read.flag("sweep.search.asha.keep-checkpoints");
        boolean completeSeeds = read.flag("sweep.search.asha.complete-seeds");
        SearchSettings.OtherSeeds otherSeeds = ConfigValues.parse("sweep.search.asha.other-seeds",
                config.getString("sweep.search.asha.other-seeds"), SearchSettings.OtherSeeds::parse);
        if (otherSeeds == SearchSettings.OtherSeeds.FINALISTS && !completeSeeds) {
            throw ConfigValues.invalid("sweep.search.asha.other-seeds", otherSeeds.id(), "trains the other seeds of"
                    + " the configurations that complete the last rung, which needs sweep.search.asha.complete-seeds"
                    + " = true");
        }
        if (scheduler == SearchSettings.Scheduler.ASHA) {
            Domain iterations = space.domain(Params.ITERATIONS);
            if (!(iterations instanceof Domain.Values v) || v.values().size() != 1) {
                throw new SweepConfigException("sweep.space.iterations must be one value under"
                        + " sweep.search.scheduler = asha: every trial's budget is the last rung (or set"
                        + " sweep.search.asha.max-iterations and leave iterations out)");
            }
            int budget = ((Number) v.values().get(0)).intValue();
            if (max == 0) {
                max = budget;
            } else if (max != budget) {
                throw ConfigValues.invalid("sweep.search.asha.max-iterations", max, "must equal the trials' budget,"
                        + " sweep.space.iterations = " + budget + " (or be 0 to take it)");
            }
            if (min > max) {
                throw ConfigValues.invalid("sweep.search.asha.min-iterations", min, "must not exceed max-iterations (" + max + ")");
            }
        }
        return new SearchSettings.AshaSettings(min, max, eta, keep, completeSeeds, otherSeeds);
    }

    /** The search settings, checked against the space they search. */
    SearchSettings read(Space space) {
        String path = "sweep.search.algorithm";
        SearchSettings.Algorithm algorithm = ConfigValues.parse(path, config.getString(path), SearchSettings.Algorithm::parse);
        List<Long> seeds = ConfigValues.values("sweep.search.seeds", config.getValue("sweep.search.seeds"),
                v -> (long) ConfigValues.integer(v), true);
        SearchSettings.Scheduler scheduler = ConfigValues.parse("sweep.search.scheduler", config.getString("sweep.search.scheduler"),
                SearchSettings.Scheduler::parse);
        SearchSettings.AshaSettings asha = asha(space, scheduler);
        SearchSettings search = new SearchSettings(algorithm, read.atLeast("sweep.search.trials", 1),
                config.getLong("sweep.search.seed"), seeds, read.atLeast("sweep.search.tpe.startup", 1),
                read.atLeast("sweep.search.tpe.candidates", 1), scheduler, asha);
        if (!search.sampled() && !space.distributions().isEmpty()) {
            throw new SweepConfigException(ConfigValues.origin(config.getValue("sweep.space." + space.distributions().get(0)))
                    + "sweep.space." + space.distributions().get(0) + " is a distribution, which a grid cannot"
                    + " enumerate: set sweep.search.algorithm = random, sobol or tpe (with sweep.search.trials), or"
                    + " give a list");
        }
        if (scheduler == SearchSettings.Scheduler.ASHA && asha.otherSeeds() == SearchSettings.OtherSeeds.FINALISTS
                && !(search.sampled() && !seeds.isEmpty()) && !(space.domain(Params.SEED) instanceof Domain.Values)) {
            throw new SweepConfigException("sweep.space.seed must be one list under sweep.search.asha.other-seeds ="
                    + " finalists: the first seed searches, the others train for the finalists");
        }
        if (search.sampled() && !(space.domain(Params.SEED) instanceof Domain.Values)) {
            throw new SweepConfigException("sweep.space.seed must be a list: every sampled configuration runs on"
                    + " each seed (or set sweep.search.seeds)");
        }
        return search;
    }
}
