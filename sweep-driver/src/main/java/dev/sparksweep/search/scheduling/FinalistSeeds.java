package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SharedResults;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.search.params.Params;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seeds ASHA trains only for finalists ({@code sweep.search.asha.other-seeds = finalists}): the search runs on the
 * first seed, and once a configuration completes the last rung its later seeds start, ahead of new configurations.
 * Each later seed begins at most once over all runs of the sweep, and one another sweep finished is adopted, not
 * trained. (One an earlier run stopped, when the sweep searched on every seed, is a stopped seed of its configuration:
 * {@link SeedCompletion} continues it from the rung where it stopped.)
 * Not thread-safe: {@link AshaTrials} calls it under its own lock.
 */
final class FinalistSeeds {

    private static final Logger LOG = LoggerFactory.getLogger(FinalistSeeds.class);

    private final SweepDefinition sweep;
    private final String checksum;
    private final List<Long> laterSeeds;
    private final SharedResults shared;
    private final Set<String> finishedIds;
    /** Later seeds adopted from other sweeps. */
    private int adopted;
    /** Trials that have begun (rung records or a final row, in any run, or started by this one). */
    private final Set<String> started = new HashSet<>();

    /**
     * @param laterSeeds  the seeds trained only for finalists; empty when every seed searches
     * @param finishedIds trials with a final row, in any sweep
     * @param shared      adopts a later seed another sweep finished
     */
    FinalistSeeds(SweepDefinition sweep, String checksum, List<Long> laterSeeds, SharedResults shared,
                  Set<String> finishedIds) {
        this.sweep = sweep;
        this.checksum = checksum;
        this.laterSeeds = List.copyOf(laterSeeds);
        this.shared = shared;
        this.finishedIds = Set.copyOf(finishedIds);
        started.addAll(finishedIds);
    }

    /** The seeds trained only for finalists; empty when every seed searches. */
    List<Long> seeds() {
        return laterSeeds;
    }

    /** Later seeds adopted from other sweeps so far. */
    int adopted() {
        return adopted;
    }

    /** Whether a configuration runs on one of the seeds trained only for finalists. */
    boolean isLaterSeed(Map<String, Object> configuration) {
        Object seed = configuration.get(Params.SEED.key());
        return seed instanceof Number n && laterSeeds.contains(n.longValue());
    }

    /** Trials that have begun: a later seed among them is not started again. */
    void begun(Collection<String> trialIds) {
        started.addAll(trialIds);
    }

    /**
     * {@code completed} finished the last rung: the work that trains its configuration's later seeds (empty for
     * those already begun, finished or adopted; a stopped one is revived by {@link SeedCompletion}).
     */
    List<Work> startFor(Trial completed, RungSegments segments) {
        List<Work> work = new ArrayList<>();
        for (long seed : laterSeeds) {
            Map<String, Object> c = new LinkedHashMap<>(completed.configuration());
            c.put(Params.SEED.key(), seed);
            Trial trial = SpaceExpander.trial(sweep, c, checksum);
            if (started.add(trial.id())) {
                String note = "started because its configuration completed the last rung on seed "
                        + completed.configuration().get(Params.SEED.key());
                LOG.info("trial {}: {}", trial.id(), note);
                work.add(segments.first(trial, note));
            } else if (finishedIds.contains(trial.id())
                    && shared.adopt(trial.id()).filter(SharedResults.Adopted::recorded).isPresent()) {
                adopted++;
            }
        }
        return work;
    }
}
