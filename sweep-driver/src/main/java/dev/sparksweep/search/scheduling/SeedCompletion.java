package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.Trial;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Under ASHA with several seeds, every seed of a configuration is a trial of its own, decided on its own score. Left
 * at that, the search ends with its best configurations trained to the full budget on one or two seeds, the others
 * stopped early: no mean over the seeds, no interval, for exactly the configurations the search is for. So once one
 * seed of a configuration completes the last rung, its other seeds are completed too: those still running are
 * promoted at every rung they reach, and those already stopped continue from the checkpoint of the rung where they
 * stopped ({@code sweep.search.asha.complete-seeds}).
 *
 * <p>That is why a stopped trial's checkpoints are kept until its configuration is decided: until every seed has
 * ended without one completing (then they are deleted), or until it is revived. The cost is bounded by ASHA itself:
 * only the configurations that reach the last rung, about 1/eta^(rungs-1) of them, train every seed in full.
 */
final class SeedCompletion {

    /** A seed stopped at {@code rung}, whose checkpoint there is kept. */
    record Stopped(Trial trial, int rung) {
    }

    private final int seedsPerConfig;
    private final Set<String> completed = new HashSet<>();
    private final Map<String, List<Stopped>> stopped = new HashMap<>();
    private final Map<String, Set<String>> ended = new HashMap<>();

    /** @param seedsPerConfig the seeds every configuration runs on */
    SeedCompletion(int seedsPerConfig) {
        this.seedsPerConfig = seedsPerConfig;
    }

    /** Whether a seed of the configuration has completed the last rung: its other seeds are promoted. */
    boolean completing(String configId) {
        return completed.contains(configId);
    }

    /**
     * A seed of the configuration completed the last rung. Returns its seeds stopped so far, which are to continue
     * from their checkpoints (only the first time).
     */
    List<Stopped> completed(String configId) {
        if (!completed.add(configId)) {
            return List.of();
        }
        List<Stopped> revived = stopped.remove(configId);
        return revived == null ? List.of() : revived;
    }

    /** A seed ASHA stopped at {@code rung}: its checkpoint there is kept while the configuration may still complete. */
    void stopped(Trial trial, int rung) {
        stopped.computeIfAbsent(trial.configId(), k -> new ArrayList<>()).add(new Stopped(trial, rung));
    }

    /** Every stopped seed still kept, given up (the run has ended without completing their configurations). */
    List<Stopped> undecided() {
        List<Stopped> all = new ArrayList<>();
        stopped.values().forEach(all::addAll);
        stopped.clear();
        return all;
    }

    /**
     * A seed ended (completed, stopped, failed). Returns the stopped seeds of its configuration whose checkpoints are
     * no longer needed: every seed has ended and none completed.
     */
    List<Stopped> ended(Trial trial) {
        String config = trial.configId();
        Set<String> seeds = ended.computeIfAbsent(config, k -> new HashSet<>());
        seeds.add(trial.id());
        if (completed.contains(config) || seeds.size() < seedsPerConfig) {
            return List.of();
        }
        List<Stopped> decided = stopped.remove(config);
        return decided == null ? List.of() : decided;
    }
}
