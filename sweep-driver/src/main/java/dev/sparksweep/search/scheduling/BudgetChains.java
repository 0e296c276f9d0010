package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trains the iteration budgets of one configuration as a chain: where a sweep has, say, 1500, 3000 and 6000
 * iterations of the same model, settings, seed and data, the 3000-iteration trial continues the 1500-iteration
 * trial's final checkpoint instead of training its first 1500 iterations again, and the 6000 continues the 3000. The
 * results are those of training each budget from scratch (a segment ends where straight training ends, to float
 * rounding: model-lib's {@code SegmentedTrainingTest}), so a budget sweep costs its longest budget per configuration
 * instead of the sum of its budgets.
 *
 * <p>A link from budget b to a longer one is made only where that is exact: the learning-rate schedule does not span
 * the budget (cosine does), and b is one of the longer trial's evaluation points (a multiple of eval-every; a
 * trial's end is always evaluated, so any other b would add a curve point). A chained trial waits for the nearest
 * shorter budget still to train (one already finished, say by another sweep in the same folder, is passed over), and
 * starts as soon as that ends, ahead of new chains. It continues from the newest checkpoint of a shorter
 * budget that is on disk, or from scratch: a shorter trial that diverged, timed out or failed wrote none, a checkpoint
 * that cannot be read is given up (the trial then trains again from an earlier one, or from scratch, once), and a
 * rerun continues from the checkpoints the last run left. Checkpoints live under
 * {@code <out>/checkpoints/<sweep>/<trial>/final.ckpt} and are deleted once every budget of their chain ended without
 * failing and the last one's record is committed (a rerun deletes those a killed run left).
 */
public final class BudgetChains implements TrialSource {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetChains.class);
    private static final String CHECKPOINT = "final.ckpt";

    private final Path checkpoints;
    /** Each trial's chain: its configuration's budgets, shortest first, each link exact. */
    private final Map<String, List<Trial>> chainOf = new HashMap<>();
    /** Trials to train in this run that have not yet ended. */
    private final Set<String> todo = new HashSet<>();
    private final Deque<Trial> ready = new ArrayDeque<>();
    private final Set<String> unreadable = new HashSet<>();
    /** Chains completed by a work whose record is not yet committed, by work id: their checkpoints go then. */
    private final Map<String, List<Trial>> releasedBy = new HashMap<>();
    /** Chains in which a trial failed in this run: their checkpoints are kept for the retry. */
    private final Set<List<Trial>> failedChains = new HashSet<>();
    /** Wall time of the trials that ended ok, from earlier runs and this one: what a continuing trial inherits. */
    private final Map<String, Double> okWallSeconds;
    private int pending;

    /**
     * @param planned     every trial of the sweep, finished ones included (their checkpoints may continue)
     * @param finished    trials that already have their final row: not trained again
     * @param checkpoints {@code <out>/checkpoints/<sweep>}
     * @param okWallSeconds wall time of the sweep's trials that ended ok in earlier runs
     */
    public BudgetChains(List<Trial> planned, Set<String> finished, Path checkpoints,
                        Map<String, Double> okWallSeconds) {
        this.checkpoints = checkpoints;
        this.okWallSeconds = new HashMap<>(okWallSeconds);
        Map<List<Object>, List<Trial>> byConfiguration = new LinkedHashMap<>();
        for (Trial t : planned) {
            byConfiguration.computeIfAbsent(budgetFree(t), k -> new ArrayList<>()).add(t);
        }
        for (List<Trial> budgets : byConfiguration.values()) {
            budgets.sort(Comparator.comparingInt(t -> t.training().iterations()));
            List<Trial> chain = new ArrayList<>();
            for (Trial t : budgets) {
                if (!chain.isEmpty() && !continues(chain.get(chain.size() - 1).training(), t.training())) {
                    chain = new ArrayList<>();
                }
                chain.add(t);
                chainOf.put(t.id(), chain);
            }
        }
        for (Trial t : planned) {
            if (!finished.contains(t.id())) {
                todo.add(t.id());
            }
        }
        for (Trial t : planned) {
            if (todo.contains(t.id()) && shorterToTrain(t).isEmpty()) {
                ready.add(t);
            }
        }
        pending = todo.size();
        // Chains an earlier run completed but was killed before deleting their checkpoints (see recorded).
        new HashSet<>(chainOf.values()).stream().filter(chain -> chain.stream().noneMatch(t -> todo.contains(t.id())))
                .forEach(chain -> chain.forEach(t -> delete(checkpoints.resolve(t.id()))));
    }

    /**
     * Whether a trial of {@code longer}'s settings ends exactly as trained straight when it continues the final
     * checkpoint of one of {@code shorter}'s: the same settings but the budget, a schedule that does not span the
     * budget, and a shorter budget that the longer trial evaluates at.
     */
    static boolean continues(TrainingConfig shorter, TrainingConfig longer) {
        return shorter.iterations() < longer.iterations()
                && shorter.withIterations(longer.iterations()).equals(longer)
                && !longer.optimization().schedule().spansBudget()
                && shorter.iterations() % longer.evalEvery() == 0;
    }

    @Override
    public synchronized int remaining() {
        return pending;
    }

    /** The iterations a trial will train: less the shorter budget it is planned to continue. */
    @Override
    public int plannedIterations(Trial trial) {
        List<Trial> chain = chainOf.get(trial.id());
        for (int j = chain.indexOf(trial) - 1; j >= 0; j--) {
            Trial shorter = chain.get(j);
            if (todo.contains(shorter.id()) || Files.isRegularFile(checkpoint(shorter))) {
                return trial.training().iterations() - shorter.training().iterations();
            }
        }
        return trial.training().iterations();
    }

    @Override
    public synchronized Optional<Work> next() {
        Trial trial = ready.poll();
        if (trial == null) {
            return Optional.empty();
        }
        pending--;
        return Optional.of(work(trial));
    }

    @Override
    public synchronized Work.Recorded finished(Work work, TrialResult result) {
        Trial trial = work.trial();
        String from = work.resumeFrom();
        if (result.status() == TrialStatus.FAILED && from != null && unreadable.add(from)) {
            LOG.warn("trial {}: continuing {} failed ({}); it trains again without that checkpoint", trial.id(), from,
                    result.error());
            ready.addFirst(trial);
            pending++;
            return Work.Recorded.SKIP;
        }
        todo.remove(trial.id());
        if (result.status() == TrialStatus.OK) {
            okWallSeconds.put(trial.id(), result.wallSeconds());
        }
        List<Trial> chain = chainOf.get(trial.id());
        if (result.status() == TrialStatus.FAILED) {
            failedChains.add(chain);
        }
        Optional<Trial> next = chain.subList(chain.indexOf(trial) + 1, chain.size()).stream()
                .filter(t -> todo.contains(t.id())).findFirst();
        if (next.isPresent()) {
            // Ahead of new chains: its checkpoint is fresh, and the chain's checkpoints go once it ends.
            ready.addFirst(next.get());
        } else if (chain.stream().noneMatch(t -> todo.contains(t.id())) && !failedChains.contains(chain)) {
            releasedBy.put(work.id(), chain);
        }
        return Work.Recorded.WHOLE;
    }

    /**
     * The record of {@code work} is committed: deletes the checkpoints of the chain its end completed. Not before: a
     * driver killed between the two would leave the chain's last trial to train again from scratch.
     */
    @Override
    public synchronized void recorded(Work work) {
        List<Trial> chain = releasedBy.remove(work.id());
        if (chain != null) {
            chain.forEach(t -> delete(checkpoints.resolve(t.id())));
        }
    }

    private Work work(Trial trial) {
        List<Trial> chain = chainOf.get(trial.id());
        int at = chain.indexOf(trial);
        boolean longerToCome = chain.subList(at + 1, chain.size()).stream().anyMatch(t -> todo.contains(t.id()));
        String checkpointTo = longerToCome ? checkpoint(trial).toString() : null;
        for (int j = at - 1; j >= 0; j--) {
            Path earlier = checkpoint(chain.get(j));
            if (Files.isRegularFile(earlier) && !unreadable.contains(earlier.toString())) {
                Trial shorter = chain.get(j);
                return new Work(trial, null, new Work.Continuation(shorter.id(), shorter.training().iterations(),
                        earlier.toString(), checkpointTo, okWallSeconds.getOrDefault(shorter.id(), Double.NaN)));
            }
        }
        if (at > 0) {
            LOG.info("trial {}: no checkpoint of a shorter budget to continue, trains from scratch", trial.id());
        }
        return checkpointTo == null ? Work.whole(trial)
                : new Work(trial, null, new Work.Continuation(null, 0, null, checkpointTo, 0));
    }

    /**
     * The nearest shorter budget of the trial's chain still to train in this run (a budget finished earlier, say by
     * another sweep of the same folder, is passed over): the trial waits for it.
     */
    private Optional<Trial> shorterToTrain(Trial trial) {
        List<Trial> chain = chainOf.get(trial.id());
        for (int j = chain.indexOf(trial) - 1; j >= 0; j--) {
            if (todo.contains(chain.get(j).id())) {
                return Optional.of(chain.get(j));
            }
        }
        return Optional.empty();
    }

    private Path checkpoint(Trial trial) {
        return checkpoints.resolve(trial.id()).resolve(CHECKPOINT);
    }

    /** What a trial's budgets have in common: everything but the budget. */
    private static List<Object> budgetFree(Trial t) {
        return List.of(t.model(), t.training().withIterations(1), t.data(), t.datasetChecksum());
    }

    private static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(CHECKPOINT));
            if (Files.isDirectory(dir)) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not delete the checkpoint in {}: {}", dir, e.toString());
        }
    }
}
