package dev.sparksweep.search.scheduling;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bookkeeping of budget chains (no training; checkpoint files are stand-ins): which budgets chain, the order
 * trials start in, continuing from the newest checkpoint on disk, giving up an unreadable one, resuming a rerun, and
 * deleting checkpoints. {@code BudgetSweepTest} trains a chained sweep for real.
 */
class BudgetChainsTest {

    private static final String MNIST = DatasetManifest.of(DatasetName.MNIST).checksum();

    @TempDir
    Path dir;

    private List<Trial> trials(String space) throws IOException {
        Path file = dir.resolve("b.conf");
        Files.writeString(file, "sweep { train { eval-every = 250 }, space { family = [lstm], hidden = [8], "
                + space + " } }");
        return SpaceExpander.expand(SweepConfig.load(file.toString(), Map.of()).sweep(), MNIST);
    }

    private static Trial find(List<Trial> trials, int iterations, long seed) {
        return trials.stream().filter(t -> t.training().iterations() == iterations && t.training().seed() == seed)
                .findFirst().orElseThrow();
    }

    private static TrialResult result(TrialStatus status, int iterations) {
        return new TrialResult(status, status == TrialStatus.OK ? null : "went wrong", 0.9, iterations, 0.9, 0.9,
                0.3, List.of(), iterations, 10.0, 8.0, iterations / 8.0, 1000, 4.0);
    }

    /** Stands in for the checkpoint the trainer writes at the end of an OK trial. */
    private static void written(Work work) throws IOException {
        Path file = Path.of(work.checkpointTo());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "checkpoint of " + work.trial().id());
    }

    @Test
    void longerBudgetsContinueTheShorterOnesCheckpointAheadOfNewChains() throws IOException {
        List<Trial> trials = trials("iterations = [1000, 500, 750], seed = [1, 2]");
        Path ck = dir.resolve("ck");
        BudgetChains chains = new BudgetChains(trials, Set.of(), ck, Map.of());
        assertEquals(6, chains.remaining());
        assertEquals(500, chains.plannedIterations(find(trials, 500, 1)));
        assertEquals(250, chains.plannedIterations(find(trials, 750, 1)), "continues 500");
        assertEquals(250, chains.plannedIterations(find(trials, 1000, 1)), "continues 750");

        // Only the shortest budgets can start: the others wait for them.
        Work first = chains.next().orElseThrow();
        Work second = chains.next().orElseThrow();
        assertTrue(chains.next().isEmpty(), "the longer budgets wait for their shorter ones");
        assertEquals(Set.of(find(trials, 500, 1).id(), find(trials, 500, 2).id()),
                Set.of(first.trial().id(), second.trial().id()));
        assertFalse(first.continues());
        assertNull(first.resumeFrom());
        assertEquals(0, first.fromIteration());
        assertEquals(500, first.iterations());
        assertEquals(ck.resolve(first.trial().id()).resolve("final.ckpt").toString(), first.checkpointTo());

        written(first);
        assertSame(Work.Recorded.WHOLE, chains.finished(first, result(TrialStatus.OK, 500)));
        Work longer = chains.next().orElseThrow();
        long seed = first.trial().training().seed();
        assertEquals(find(trials, 750, seed).id(), longer.trial().id());
        assertTrue(longer.continues());
        assertEquals(first.trial().id(), longer.continuation().fromTrialId());
        assertEquals(first.checkpointTo(), longer.resumeFrom());
        assertEquals(500, longer.fromIteration());
        assertEquals(250, longer.iterations());
        assertEquals(10.0, longer.continuation().inheritedSeconds(), "the wall time of the trial it continues");
        assertTrue(longer.label().endsWith(" 500->750"), longer.label());
        assertTrue(longer.checkpointTo().contains(longer.trial().id()), "1000 will continue it");

        // Its checkpoint cannot be read: done again from scratch, once; then the chain goes on without it.
        assertSame(Work.Recorded.SKIP, chains.finished(longer,
                TrialResult.failed("CheckpointException: not a zip file", 0.1)));
        Work redo = chains.next().orElseThrow();
        assertEquals(longer.trial().id(), redo.trial().id());
        assertFalse(redo.continues(), "the unreadable checkpoint is given up");
        assertEquals(750, redo.iterations());
        written(redo);
        chains.finished(redo, result(TrialStatus.OK, 750));
        Work last = chains.next().orElseThrow();
        assertEquals(find(trials, 1000, seed).id(), last.trial().id());
        assertEquals(redo.trial().id(), last.continuation().fromTrialId());
        assertNull(last.checkpointTo(), "no longer budget needs its checkpoint");
        chains.finished(last, result(TrialStatus.OK, 1000));
        assertTrue(Files.exists(ck.resolve(first.trial().id())), "kept until the last trial's record is committed");
        chains.recorded(last);
        assertFalse(Files.exists(ck.resolve(first.trial().id())), "the chain ended: its checkpoints are deleted");
        assertFalse(Files.exists(ck.resolve(redo.trial().id())));
        assertEquals(2, chains.remaining(), "the other seed's longer budgets");
    }

    @Test
    void aShorterTrialWithoutCheckpointLetsTheLongerOneStartFromScratchAndAFailureKeepsTheChainsCheckpoints()
            throws IOException {
        List<Trial> trials = trials("iterations = [500, 750, 1000], seed = [1]");
        Path ck = dir.resolve("ck");
        BudgetChains chains = new BudgetChains(trials, Set.of(), ck, Map.of());
        Work w500 = chains.next().orElseThrow();
        written(w500);
        chains.finished(w500, result(TrialStatus.OK, 500));
        Work w750 = chains.next().orElseThrow();
        // Diverged: it wrote no checkpoint. 1000 continues the newest one on disk, 500's.
        chains.finished(w750, result(TrialStatus.DIVERGED, 600));
        Work w1000 = chains.next().orElseThrow();
        assertEquals(w500.trial().id(), w1000.continuation().fromTrialId());
        assertEquals(500, w1000.fromIteration());
        // A failure from a checkpoint may be the checkpoint's: once more from scratch, then it is the trial's.
        TrialResult failed = TrialResult.failed("OutOfMemoryError", 3.0);
        assertSame(Work.Recorded.SKIP, chains.finished(w1000, failed));
        Work again = chains.next().orElseThrow();
        assertFalse(again.continues());
        assertSame(Work.Recorded.WHOLE, chains.finished(again, failed));
        assertEquals(0, chains.remaining());
        assertTrue(Files.isRegularFile(Path.of(w500.checkpointTo())),
                "a failed trial is retried by the next run: the checkpoint it continues stays");
    }

    @Test
    void aRerunContinuesFromTheCheckpointTheLastRunLeft() throws IOException {
        List<Trial> trials = trials("iterations = [500, 1000], seed = [1]");
        Trial shorter = find(trials, 500, 1);
        Path ck = dir.resolve("ck");
        Path left = Files.createDirectories(ck.resolve(shorter.id())).resolve("final.ckpt");
        Files.writeString(left, "left by the killed run");
        BudgetChains chains = new BudgetChains(trials, Set.of(shorter.id()), ck, Map.of(shorter.id(), 123.5));
        assertEquals(1, chains.remaining());
        Work w = chains.next().orElseThrow();
        assertEquals(find(trials, 1000, 1).id(), w.trial().id());
        assertEquals(left.toString(), w.resumeFrom());
        assertEquals(shorter.id(), w.continuation().fromTrialId());
        assertEquals(123.5, w.continuation().inheritedSeconds(), "from the leaderboard row of the earlier run");
        chains.finished(w, result(TrialStatus.OK, 1000));
        chains.recorded(w);
        assertFalse(Files.exists(left), "deleted once the chain ended");

        // Killed after the longer trial's record was committed, before the deletion: the rerun deletes them.
        Files.createDirectories(left.getParent());
        Files.writeString(left, "left by a run killed after its last commit");
        BudgetChains done = new BudgetChains(trials, Set.of(shorter.id(), w.trial().id()), ck, Map.of());
        assertEquals(0, done.remaining());
        assertFalse(Files.exists(left.getParent()), "a completed chain keeps no checkpoint");

        // Without the file, the longer budget trains from scratch.
        BudgetChains without = new BudgetChains(trials, Set.of(shorter.id()), dir.resolve("none"), Map.of());
        Work scratch = without.next().orElseThrow();
        assertFalse(scratch.continues());
        assertEquals(1000, scratch.iterations());
    }

    @Test
    void aBudgetFinishedElsewhereIsPassedOverAndTheLongerOneWaitsForTheShorterOneStillToTrain() throws IOException {
        // 750 was trained by another sweep of the same folder (same trial id), which kept no checkpoint of it.
        List<Trial> trials = trials("iterations = [500, 750, 1000], seed = [1]");
        Trial middle = find(trials, 750, 1);
        BudgetChains chains = new BudgetChains(trials, Set.of(middle.id()), dir.resolve("ck"), Map.of());
        assertEquals(500, chains.plannedIterations(find(trials, 1000, 1)), "planned to continue 500");
        Work w500 = chains.next().orElseThrow();
        assertEquals(500, w500.trial().training().iterations());
        assertTrue(chains.next().isEmpty(), "1000 waits for 500, not for the finished 750");
        written(w500);
        chains.finished(w500, result(TrialStatus.OK, 500));
        Work w1000 = chains.next().orElseThrow();
        assertEquals(find(trials, 1000, 1).id(), w1000.trial().id());
        assertEquals(w500.trial().id(), w1000.continuation().fromTrialId());
        assertEquals(500, w1000.iterations());
    }

    @Test
    void onlyExactLinksChain() throws IOException {
        // 600 is not an evaluation point of the longer trials (eval-every 250): they would validate there only
        // because a trial's end is always validated. Each configuration (seed, learning rate) is its own chain.
        List<Trial> trials = trials("iterations = [600, 1000, 1500], seed = [1], learning-rate = [0.001, 0.002]");
        BudgetChains chains = new BudgetChains(trials, Set.of(), dir.resolve("ck"), Map.of());
        Set<String> first = new HashSet<>();
        chains.next().ifPresent(w -> first.add(w.trial().describe()));
        chains.next().ifPresent(w -> first.add(w.trial().describe()));
        chains.next().ifPresent(w -> first.add(w.trial().describe()));
        chains.next().ifPresent(w -> first.add(w.trial().describe()));
        assertEquals(4, first.size(), "600 and 1000 of each rate start at once: " + first);
        assertTrue(chains.next().isEmpty(), "1500 waits for 1000");

        // A cosine schedule spans the budget: nothing chains.
        List<Trial> cosine = trials("iterations = [500, 1000], seed = [1], lr-schedule = [cosine]");
        BudgetChains none = new BudgetChains(cosine, Set.of(), dir.resolve("ck2"), Map.of());
        Work a = none.next().orElseThrow();
        Work b = none.next().orElseThrow();
        assertFalse(a.continues() || b.continues());
        assertNull(a.checkpointTo(), "no checkpoint is written for nothing");
        assertNull(b.checkpointTo());
    }
}
