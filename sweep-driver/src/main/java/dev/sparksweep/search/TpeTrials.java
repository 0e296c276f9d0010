package dev.sparksweep.search;

import dev.sparksweep.search.sampling.Tpe;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TPE as a {@link TrialSource}: whenever a slot frees, the next configuration is proposed from every result of this
 * sweep so far (those in the leaderboard from earlier runs included) with the running ones as pending, and queued on
 * each of the sweep's seeds. A rerun after a driver kill refits from the leaderboard and continues until the sweep has
 * {@code sweep.search.trials} configurations, first training again its trials that failed (or ended as a status
 * {@code --retry} names); trials an earlier run left under way (ASHA segments to resume) count as
 * proposed and pending, so the rerun neither proposes them again nor loses their places in the count. A proposed trial
 * another sweep already finished is adopted ({@link SharedResults}): it counts, and TPE learns from its score.
 */
public final class TpeTrials implements TrialSource {

    /** Draws of a proposal that repeats an earlier configuration before the space counts as exhausted. */
    private static final int REDRAWS = 200;

    private final SweepDefinition sweep;
    private final String checksum;
    private final Tpe tpe;
    private final List<Long> seeds;
    private final Set<String> finishedIds;
    private final SharedResults shared;
    private final int retrying;
    private final List<Tpe.Observation> observations;
    /** Where the trials that ended in this run have their observation. */
    private final Map<String, Integer> observedAt = new HashMap<>();
    private final Set<Map<String, Object>> configurations = new HashSet<>();
    private final Map<String, Map<String, Object>> running = new LinkedHashMap<>();
    private final Deque<Trial> queued = new ArrayDeque<>();
    private final Map<String, Map<String, Object>> configOf = new HashMap<>();
    private int adoptedCount;
    /** Adopted trials that trained their whole budget, since {@link #drainAdoptedComplete} last asked. */
    private final List<Trial> adoptedComplete = new ArrayList<>();

    /**
     * @param history     this sweep's trials in the leaderboard: configuration (seed included) and score
     * @param finishedIds ids not to train again
     */
    public TpeTrials(SweepDefinition sweep, String checksum, List<Tpe.Observation> history, Set<String> finishedIds) {
        this(sweep, checksum, history, finishedIds, Map.of(), Map.of(), SharedResults.NONE);
    }

    /**
     * @param history  this sweep's trials in the leaderboard, those it adopted from other sweeps included
     * @param underWay    trials started by an earlier run that have not ended (by id, their configuration with the
     *                    seed) and that another source continues (ASHA's promoted segments): pending until they finish
     * @param interrupted trials an earlier run left training ({@link dev.sparksweep.schedule.InterruptedTrials}): this
     *                    source trains them first, each continuing from its progress checkpoint
     * @param shared      adopts a proposed trial found in {@code finishedIds}, which another sweep trained (this sweep's
     *                 own finished trials are in {@code history}, so TPE does not propose their configurations again)
     */
    public TpeTrials(SweepDefinition sweep, String checksum, List<Tpe.Observation> history, Set<String> finishedIds,
                     Map<String, Map<String, Object>> underWay, Map<String, Map<String, Object>> interrupted,
                     SharedResults shared) {
        this.sweep = sweep;
        this.shared = shared;
        this.checksum = checksum;
        this.tpe = new Tpe(sweep.space(), sweep.search().seed(), sweep.search().startup(),
                sweep.search().candidates());
        this.seeds = SpaceExpander.searchSeeds(sweep);
        this.finishedIds = new HashSet<>(finishedIds);
        this.observations = new ArrayList<>(history);
        underWay.forEach((id, c) -> {
            running.put(id, c);
            configurations.add(withoutSeed(c));
        });
        for (int i = 0; i < history.size(); i++) {
            Map<String, Object> c = history.get(i).configuration();
            configurations.add(withoutSeed(c));
            Trial trial = SpaceExpander.trial(sweep, c, checksum);
            if (!finishedIds.contains(trial.id()) && !running.containsKey(trial.id())
                    && configOf.putIfAbsent(trial.id(), c) == null) {
                // Failed, or ended as a status --retry names: trained again first, its result replacing this
                // observation (TPE does not propose a configuration it has seen, so nothing else would retry it).
                queued.add(trial);
                observedAt.put(trial.id(), i);
            }
        }
        this.retrying = queued.size();
        interrupted.forEach((id, c) -> queueAgain(id, c));
        // A configuration is trained on each seed: one whose seeds an earlier run did not all start (it was killed
        // with some still queued) gets the others now, rather than counting as proposed with fewer seeds.
        for (Map<String, Object> configuration : List.copyOf(configurations)) {
            for (long seed : seeds) {
                Map<String, Object> c = new LinkedHashMap<>(configuration);
                c.put("seed", seed);
                String id = SpaceExpander.trial(sweep, c, checksum).id();
                if (!finishedIds.contains(id)) {
                    queueAgain(id, c);
                }
            }
        }
        SpaceExpander.requireWithinLimit(sweep);
    }

    @Override
    public synchronized int remaining() {
        return queued.size() + Math.max(0, sweep.search().trials() - configurations.size()) * seeds.size();
    }

    @Override
    public synchronized Optional<Work> next() {
        int attempt = 0;
        while (queued.isEmpty() && configurations.size() < sweep.search().trials()) {
            Map<String, Object> proposed = tpe.propose(observations, new ArrayList<>(running.values()), seeds.get(0),
                    attempt);
            if (!configurations.add(withoutSeed(proposed))) {
                // Proposed before: drawn again. Only a space that seems exhausted (every redraw a repeat) counts
                // the repeat as a configuration, so a search of few distinct points still ends.
                if (++attempt < REDRAWS) {
                    continue;
                }
                configurations.add(Map.of("repeat", configurations.size()));
                attempt = 0;
                continue;
            }
            attempt = 0;
            for (long seed : seeds) {
                Map<String, Object> c = new LinkedHashMap<>(proposed);
                c.put("seed", seed);
                Trial trial = SpaceExpander.trial(sweep, c, checksum);
                if (!finishedIds.contains(trial.id())) {
                    queued.add(trial);
                    configOf.put(trial.id(), c);
                } else {
                    // Another sweep trained it: this sweep counts it, and the model learns from it like from its own.
                    Optional<SharedResults.Adopted> adopted = shared.adopt(trial.id());
                    adopted.ifPresent(a -> observations.add(new Tpe.Observation(c, a.score())));
                    adoptedCount += adopted.isPresent() && adopted.get().recorded() ? 1 : 0;
                    if (adopted.isPresent() && adopted.get().complete()) {
                        adoptedComplete.add(trial);
                    }
                }
            }
        }
        Trial next = queued.poll();
        if (next != null) {
            running.put(next.id(), configOf.get(next.id()));
        }
        return Optional.ofNullable(next).map(Work::whole);
    }

    @Override
    public synchronized int adopted() {
        return adoptedCount;
    }

    @Override
    public synchronized List<Trial> drainAdoptedComplete() {
        List<Trial> out = List.copyOf(adoptedComplete);
        adoptedComplete.clear();
        return out;
    }

    @Override
    public synchronized Work.Recorded finished(Work work, TrialResult result) {
        Trial trial = work.trial();
        Map<String, Object> c = running.remove(trial.id());
        Tpe.Observation o = new Tpe.Observation(c != null ? c : trial.configuration(), score(result));
        // A trial ends twice when ASHA stops it and then completes it (asha.complete-seeds): one observation, its
        // latest.
        Integer at = observedAt.putIfAbsent(trial.id(), observations.size());
        if (at == null) {
            observations.add(o);
        } else {
            observations.set(at, o);
        }
        return Work.Recorded.WHOLE;
    }

    /** Trials of the history this run trains again (failed, or a status --retry names): not already finished. */
    public int retrying() {
        return retrying;
    }

    /** The observations TPE models, one per trial that ended (tests). */
    synchronized List<Tpe.Observation> observations() {
        return List.copyOf(observations);
    }

    /** Higher is better: best validation accuracy (test where there is none); failed and diverged are worst. */
    public static double score(TrialResult r) {
        if (r.status() == TrialStatus.FAILED || r.status() == TrialStatus.DIVERGED) {
            return Double.NaN;
        }
        return Double.isNaN(r.bestValidationAccuracy()) ? r.testAccuracy() : r.bestValidationAccuracy();
    }

    /** Queues a trial an earlier run began (or was to begin), unless it is running or queued already. */
    private void queueAgain(String id, Map<String, Object> configuration) {
        if (!running.containsKey(id) && configOf.putIfAbsent(id, configuration) == null) {
            configurations.add(withoutSeed(configuration));
            queued.add(SpaceExpander.trial(sweep, configuration, checksum));
        }
    }

    private static Map<String, Object> withoutSeed(Map<String, Object> c) {
        Map<String, Object> copy = new LinkedHashMap<>(c);
        copy.remove("seed");
        return copy;
    }
}
