package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SweepConfigException;
import dev.sparksweep.search.params.Params;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A rung a trial reached in an earlier run, as the leaderboard's {@code rungs} table keeps it: enough to replay the
 * scheduler's state and resume a promoted trial.
 *
 * @param score         what ASHA ranked (validation accuracy at the rung; NaN for a failed or diverged segment)
 * @param configuration the trial's hyperparameters, to rebuild the trial
 * @param checkpoint    where its state at the rung was written (null when not kept)
 */
public record RungRecord(String trialId, int rung, double score, Asha.Decision decision, String checkpoint,
                         Map<String, Object> configuration) {

    /**
     * Refuses, before anything trains, a sweep whose recorded rungs belong to another budget: its trials were trained
     * under ASHA to a different {@code iterations} (an earlier definition of the sweep). Their rungs do not fit this
     * ladder: a trial promoted there would be continued past its own budget here.
     *
     * @throws SweepConfigException naming the sweep, the folder, both budgets and the ways out
     */
    public static void refuseOtherBudgets(List<RungRecord> history, int budget, String sweep, Path output) {
        Map<Integer, Set<String>> byBudget = new TreeMap<>();
        for (RungRecord r : history) {
            Object iterations = r.configuration().get(Params.ITERATIONS.key());
            int theirs = iterations instanceof Number n ? n.intValue() : budget;
            if (theirs != budget) {
                byBudget.computeIfAbsent(theirs, k -> new HashSet<>()).add(r.trialId());
            }
        }
        if (!byBudget.isEmpty()) {
            int trials = byBudget.values().stream().mapToInt(Set::size).sum();
            String budgets = byBudget.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
            throw new SweepConfigException("sweep '" + sweep + "': " + trials + " of its trials in " + output
                    + " were trained under ASHA to " + budgets + " iterations, but its rungs now end at " + budget
                    + " (sweep.space.iterations, asha.max-iterations): give the sweep a new name (sweep.name) to search the new budget, or"
                    + " set iterations back to " + byBudget.keySet().iterator().next());
        }
    }

    /** Stopped by ASHA for its score at the rung (rather than ended by a failure, which scores NaN). */
    public boolean stoppedForScore() {
        return decision == Asha.Decision.STOPPED && !Double.isNaN(score);
    }

    /**
     * The trials of this sweep that are under way (promoted at their latest rung record, no final row), with their
     * configurations: not to start anew. A trial whose records end otherwise without a final row (it failed, or
     * {@code --retry} names its status) is not under way: it trains again.
     */
    public static Map<String, Map<String, Object>> underWay(List<RungRecord> history, Set<String> finishedIds) {
        Map<String, RungRecord> latest = new LinkedHashMap<>();
        for (RungRecord r : history) {
            latest.merge(r.trialId(), r, (a, b) -> b.rung() > a.rung() ? b : a);
        }
        Map<String, Map<String, Object>> trials = new LinkedHashMap<>();
        latest.values().stream()
                .filter(r -> !finishedIds.contains(r.trialId()) && r.decision() == Asha.Decision.PROMOTED)
                .forEach(r -> trials.put(r.trialId(), r.configuration()));
        return trials;
    }
}
