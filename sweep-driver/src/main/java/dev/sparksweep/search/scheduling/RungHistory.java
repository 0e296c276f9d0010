package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rung records of a sweep's earlier runs, by trial, as a rerun replays them. A trial with rung records and no final
 * row that was not promoted last ended with a status this run trains again (failed, or one {@code --retry} names): it
 * starts over at rung 0, so its records are left out here.
 */
final class RungHistory {

    private final Map<String, TreeMap<Integer, RungRecord>> byTrial = new HashMap<>();
    private final Set<String> finishedIds;
    private final SweepDefinition sweep;
    private final String checksum;
    /** Trials are rebuilt from their configurations only where needed (an old record need not build today). */
    private final Map<String, Trial> trials = new HashMap<>();

    /**
     * @param records     the rung records of this sweep from earlier runs
     * @param finishedIds trials that already have their final row (in any sweep)
     */
    RungHistory(List<RungRecord> records, Set<String> finishedIds, SweepDefinition sweep, String checksum) {
        this.finishedIds = finishedIds;
        this.sweep = sweep;
        this.checksum = checksum;
        for (RungRecord r : records) {
            byTrial.computeIfAbsent(r.trialId(), k -> new TreeMap<>()).put(r.rung(), r);
        }
        byTrial.entrySet().removeIf(e -> !finishedIds.contains(e.getKey())
                && e.getValue().lastEntry().getValue().decision() != Asha.Decision.PROMOTED);
    }

    /** The trials replayed. */
    Set<String> trialIds() {
        return byTrial.keySet();
    }

    /** A trial's records, lowest rung first. */
    Collection<RungRecord> records(String trialId) {
        return byTrial.get(trialId).values();
    }

    /** A trial's record at its highest rung. */
    RungRecord last(String trialId) {
        return byTrial.get(trialId).lastEntry().getValue();
    }

    boolean finished(String trialId) {
        return finishedIds.contains(trialId);
    }

    /** The trial was stopped for its score, then continued (a seed of a configuration that completed). */
    boolean revived(String trialId) {
        return records(trialId).stream().anyMatch(RungRecord::stoppedForScore);
    }

    /** The trial completed the last rung in this sweep. */
    boolean completed(String trialId) {
        return records(trialId).stream().anyMatch(r -> r.decision() == Asha.Decision.COMPLETED);
    }

    /**
     * Trials whose records end them for good: finished, and not promoted last. With {@code stoppedSeedsWait}, a trial
     * stopped for its score is left out: its checkpoint waits for its configuration's decision (seed completion).
     */
    List<String> endedForGood(boolean stoppedSeedsWait) {
        return byTrial.keySet().stream().filter(id -> finished(id) && last(id).decision() != Asha.Decision.PROMOTED
                && !(stoppedSeedsWait && last(id).stoppedForScore())).toList();
    }

    /** The trial, rebuilt from the configuration of its latest record. */
    Trial trial(String trialId) {
        return trials.computeIfAbsent(trialId, k -> SpaceExpander.trial(sweep, last(k).configuration(), checksum));
    }
}
