package dev.sparksweep.search.scheduling;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.SharedResults;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ASHA's bookkeeping around checkpoints (no training): resuming, and restarting when a checkpoint is lost. */
class AshaTrialsTest {

    private static final String MNIST = DatasetManifest.of(DatasetName.MNIST).checksum();

    @TempDir
    Path dir;

    private SweepDefinition sweep() throws IOException {
        Path file = dir.resolve("a.conf");
        Files.writeString(file, "sweep { search { scheduler = asha, asha { min-iterations = 10 } }, space { "
                + "family = [lstm], hidden = [8], iterations = [90], seed = [1, 2] } }");
        return SweepConfig.load(file.toString(), Map.of()).sweep();
    }

    @Test
    void aPromotedTrialResumesFromItsCheckpointOrRestartsFromScratchWhenItIsMissing() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial kept = trials.get(0);
        Trial lost = trials.get(1);
        Path checkpoint = Files.createDirectories(dir.resolve("ck").resolve(kept.id())).resolve("rung-0.ckpt");
        Files.writeString(checkpoint, "a checkpoint");
        List<RungRecord> history = List.of(
                new RungRecord(kept.id(), 0, 0.5, Asha.Decision.PROMOTED, checkpoint.toString(),
                        kept.configuration()),
                new RungRecord(lost.id(), 0, 0.6, Asha.Decision.PROMOTED, dir.resolve("gone.ckpt").toString(),
                        lost.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, SeedPolicy.PLAIN, history, Set.of());
        Work first = asha.next().orElseThrow();
        Work second = asha.next().orElseThrow();
        Work fromCheckpoint = first.trial().id().equals(kept.id()) ? first : second;
        Work fromScratch = first == fromCheckpoint ? second : first;
        assertEquals(1, fromCheckpoint.segment().rung());
        assertEquals(10, fromCheckpoint.segment().fromIteration());
        assertEquals(checkpoint.toString(), fromCheckpoint.segment().resumeFrom());
        assertNull(fromCheckpoint.segment().note());
        assertEquals(lost.id(), fromScratch.trial().id());
        assertEquals(1, fromScratch.segment().rung());
        assertEquals(0, fromScratch.segment().fromIteration(), "from scratch");
        assertNull(fromScratch.segment().resumeFrom());
        assertTrue(fromScratch.segment().note().contains("gone.ckpt") && fromScratch.segment().note()
                .contains("missing"), fromScratch.segment().note());
        assertTrue(asha.next().isEmpty());

        // An unreadable checkpoint fails the segment on the executor: it is trained again from scratch, once.
        TrialResult unreadable = TrialResult.failed("CheckpointException: checkpoint " + checkpoint
                + ": not a checkpoint (not a zip file)", 0.1);
        assertSame(Work.Recorded.SKIP, asha.finished(fromCheckpoint, unreadable));
        Work redo = asha.next().orElseThrow();
        assertEquals(kept.id(), redo.trial().id());
        assertNull(redo.segment().resumeFrom());
        assertEquals(0, redo.segment().fromIteration());
        assertTrue(redo.segment().note().startsWith("restarted from scratch: the checkpoint " + checkpoint
                + " failed: CheckpointException"), redo.segment().note());
        Work.Recorded again = asha.finished(redo, unreadable);
        assertTrue(again.trialEnds(), "a second failure ends the trial as failed: " + again);
        assertEquals("failed", again.decision());
    }

    @Test
    void aLostCheckpointFallsBackToTheTrialsNewestEarlierOneThatReads() throws IOException {
        SweepDefinition sweep = sweep();
        Trial trial = SpaceExpander.expand(sweep, MNIST).get(0);
        Path folder = Files.createDirectories(dir.resolve("ck").resolve(trial.id()));
        Path rung0 = Files.writeString(folder.resolve("rung-0.ckpt"), "rung 0");
        // Promoted at rung 1 (30 iterations), but rung 1's checkpoint is gone: continue from rung 0's to rung 2.
        List<RungRecord> history = List.of(
                new RungRecord(trial.id(), 0, 0.5, Asha.Decision.PROMOTED, rung0.toString(), trial.configuration()),
                new RungRecord(trial.id(), 1, 0.6, Asha.Decision.PROMOTED, folder.resolve("rung-1.ckpt").toString(),
                        trial.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, SeedPolicy.PLAIN, history, Set.of());
        Work resumed = asha.next().orElseThrow();
        assertEquals(2, resumed.segment().rung());
        assertEquals(10, resumed.segment().fromIteration());
        assertEquals(90, resumed.segment().untilIteration());
        assertEquals(rung0.toString(), resumed.segment().resumeFrom());
        assertTrue(resumed.segment().note().startsWith("continued from the checkpoint of rung 0: the checkpoint of "
                + "rung 1") && resumed.segment().note().contains("missing"), resumed.segment().note());
        assertTrue(asha.next().isEmpty());

        // Rung 0's does not read either: from scratch, and a failure from scratch ends the trial.
        TrialResult unreadable = TrialResult.failed("CheckpointException: not a zip file", 0.1);
        assertSame(Work.Recorded.SKIP, asha.finished(resumed, unreadable));
        Work scratch = asha.next().orElseThrow();
        assertEquals(2, scratch.segment().rung());
        assertEquals(0, scratch.segment().fromIteration());
        assertNull(scratch.segment().resumeFrom());
        assertTrue(scratch.segment().note().startsWith("restarted from scratch: the checkpoint " + rung0),
                scratch.segment().note());
        assertTrue(asha.finished(scratch, unreadable).trialEnds());
    }

    private static TrialResult ok(double validation, int iterations) {
        return new TrialResult(dev.sparksweep.train.TrialStatus.OK, null, validation, iterations, validation, validation,
                0.5, List.of(), iterations, 1, 1, iterations, 100, 1);
    }

    private static Path rungCheckpoint(Path root, Work w) throws IOException {
        Path file = Path.of(w.segment().checkpointTo());
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "rung " + w.segment().rung());
    }

    @Test
    void onceASeedCompletesTheLastRungItsStoppedSeedsContinueAndItsOthersArePromoted() throws IOException {
        SweepDefinition sweep = sweep(); // one configuration on seeds 1 and 2; rungs 10, 30, 90
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial first = trials.get(0);
        Trial second = trials.get(1);
        assertEquals(first.configId(), second.configId());
        Path ck = dir.resolve("ck");
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(trials), Rungs.of(10, 90, 3), ck, false,
                SeedPolicy.complete(2),
                List.of(), Set.of());
        Work a0 = asha.next().orElseThrow();
        Work b0 = asha.next().orElseThrow();
        rungCheckpoint(ck, a0);
        Path bCheckpoint = rungCheckpoint(ck, b0);
        assertEquals("promoted", asha.finished(a0, ok(0.9, 10)).decision(), "the first score at a rung");
        Work.Recorded bStopped = asha.finished(b0, ok(0.5, 10));
        assertTrue(bStopped.stopped() && bStopped.trialEnds(), "below the top third: " + bStopped);
        assertTrue(Files.isRegularFile(bCheckpoint), "a stopped seed's checkpoint stays while its configuration may"
                + " complete");
        assertTrue(asha.reopened().isEmpty(), "nothing reopened from an earlier run");

        Work a1 = asha.next().orElseThrow();
        rungCheckpoint(ck, a1);
        assertEquals("promoted", asha.finished(a1, ok(0.92, 30)).decision());
        Work a2 = asha.next().orElseThrow();
        assertEquals(2, a2.segment().rung());
        assertTrue(asha.next().isEmpty(), "nothing else to do until it completes");
        assertEquals("completed", asha.finished(a2, ok(0.95, 90)).decision());

        // The stopped seed continues from where it stopped, and is promoted whatever it scores.
        Work b1 = asha.next().orElseThrow();
        assertEquals(second.id(), b1.trial().id());
        assertEquals(1, b1.segment().rung());
        assertEquals(10, b1.segment().fromIteration());
        assertEquals(bCheckpoint.toString(), b1.segment().resumeFrom());
        assertTrue(b1.segment().note().contains("another seed of its configuration completed"), b1.segment().note());
        rungCheckpoint(ck, b1);
        assertEquals("promoted", asha.finished(b1, ok(0.1, 30)).decision(), "forced, though far below 0.92");
        Work b2 = asha.next().orElseThrow();
        Work.Recorded bDone = asha.finished(b2, ok(0.2, 90));
        assertEquals("completed", bDone.decision());
        assertTrue(bDone.trialEnds() && !bDone.stopped());
        assertTrue(Files.isDirectory(ck.resolve(second.id())), "kept until its completion is committed: a driver"
                + " killed before would replay it as promoted, and need them");
        asha.recorded(b2);
        assertTrue(Files.notExists(ck.resolve(second.id())), "its checkpoints go once it has ended for good");
        assertTrue(asha.next().isEmpty());
    }

    @Test
    void withoutCompletionOrOnceEverySeedStoppedTheStoppedCheckpointsGo() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        for (int seeds : new int[]{0, 2}) {
            Path ck = dir.resolve("ck" + seeds);
            // A trial of another configuration topped rung 0 in an earlier run (and stopped later), so both seeds of
            // this one stop there.
            Map<String, Object> wider = new java.util.LinkedHashMap<>(trials.get(0).configuration());
            wider.put("hidden", 9);
            AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(trials), Rungs.of(10, 90, 3), ck, false,
                    SeedPolicy.complete(seeds),
                    List.of(new RungRecord("other", 0, 0.99, Asha.Decision.PROMOTED, null, wider),
                    new RungRecord("other", 1, 0.5, Asha.Decision.STOPPED, null, wider)), Set.of("other"));
            Work a0 = asha.next().orElseThrow();
            Work b0 = asha.next().orElseThrow();
            rungCheckpoint(ck, a0);
            rungCheckpoint(ck, b0);
            assertTrue(asha.finished(a0, ok(0.5, 10)).stopped());
            asha.recorded(a0);
            assertEquals(seeds == 0, Files.notExists(ck.resolve(a0.trial().id())),
                    "plain ASHA deletes at once; completion keeps it while a seed still runs (" + seeds + ")");
            assertTrue(asha.finished(b0, ok(0.6, 10)).stopped());
            asha.recorded(b0);
            assertTrue(Files.notExists(ck.resolve(a0.trial().id())) && Files.notExists(ck.resolve(b0.trial().id())),
                    "every seed ended, none completed: nothing is kept (" + seeds + ")");
        }
    }

    @Test
    void aRerunContinuesTheStoppedSeedsOfAConfigurationThatCompletedAndDropsDecidedCheckpoints() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial done = trials.get(0);
        Trial stopped = trials.get(1);
        Path ck = dir.resolve("ck");
        Path kept = Files.createDirectories(ck.resolve(stopped.id())).resolve("rung-0.ckpt");
        Files.writeString(kept, "rung 0");
        List<RungRecord> history = List.of(
                new RungRecord(done.id(), 0, 0.9, Asha.Decision.PROMOTED, "x", done.configuration()),
                new RungRecord(stopped.id(), 0, 0.5, Asha.Decision.STOPPED, null, stopped.configuration()),
                new RungRecord(done.id(), 1, 0.9, Asha.Decision.PROMOTED, "y", done.configuration()),
                new RungRecord(done.id(), 2, 0.9, Asha.Decision.COMPLETED, null, done.configuration()));
        Set<String> finished = Set.of(done.id(), stopped.id());
        Path plainCk = dir.resolve("plain");
        Files.createDirectories(plainCk.resolve(stopped.id()));
        Files.writeString(plainCk.resolve(stopped.id()).resolve("rung-0.ckpt"), "rung 0");
        AshaTrials off = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), plainCk,
                false, SeedPolicy.complete(0),
                history, finished);
        assertTrue(off.next().isEmpty(), "plain ASHA: a stopped seed stays stopped");
        assertTrue(Files.notExists(plainCk.resolve(stopped.id())), "so plain ASHA keeps no stopped checkpoint");
        AshaTrials on = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                SeedPolicy.complete(2),
                history, finished);
        Work revived = on.next().orElseThrow();
        assertEquals(Set.of(stopped.id()), on.reopened(), "not skipped: this run trains it further");
        assertEquals(stopped.id(), revived.trial().id());
        assertEquals(kept.toString(), revived.segment().resumeFrom());
        assertEquals(1, revived.segment().rung());
        assertTrue(on.next().isEmpty());

        // Its segment recorded, the run stopped: the next rerun continues it (its stop's row notwithstanding).
        List<RungRecord> later = new java.util.ArrayList<>(history);
        later.add(new RungRecord(stopped.id(), 1, 0.4, Asha.Decision.PROMOTED, kept.toString(),
                stopped.configuration()));
        Work continued = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                SeedPolicy.complete(2),
                later, finished).next().orElseThrow();
        assertEquals(2, continued.segment().rung());

        // A configuration whose seeds all stopped: their kept checkpoints are deleted when a rerun finds them.
        List<RungRecord> allStopped = List.of(
                new RungRecord(done.id(), 0, 0.3, Asha.Decision.STOPPED, null, done.configuration()),
                new RungRecord(stopped.id(), 0, 0.5, Asha.Decision.STOPPED, null, stopped.configuration()));
        assertTrue(new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                SeedPolicy.complete(2),
                allStopped, finished).next().isEmpty());
        assertTrue(Files.notExists(ck.resolve(stopped.id())), "decided: nothing to keep");
    }

    @Test
    void aRerunDeletesTheCheckpointsOfTrialsThatEndedInARunKilledBeforeItDeletedThem() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial stopped = trials.get(0);
        Trial underWay = trials.get(1);
        Path ck = dir.resolve("ck");
        // Killed after the stop's record (and final row) was committed, before its checkpoints were deleted; one
        // write cut short left its hidden temporary file too.
        Path stoppedDir = Files.createDirectories(ck.resolve(stopped.id()));
        Files.writeString(stoppedDir.resolve("rung-0.ckpt"), "rung 0");
        Files.writeString(stoppedDir.resolve(".progress.ckpt.1234.tmp"), "cut short");
        Path resumeFrom = Files.createDirectories(ck.resolve(underWay.id())).resolve("rung-0.ckpt");
        Files.writeString(resumeFrom, "rung 0");
        List<RungRecord> history = List.of(
                new RungRecord(stopped.id(), 0, 0.3, Asha.Decision.STOPPED, null, stopped.configuration()),
                new RungRecord(underWay.id(), 0, 0.5, Asha.Decision.PROMOTED, resumeFrom.toString(),
                        underWay.configuration()));
        for (boolean keep : new boolean[]{true, false}) {
            AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, keep,
                    SeedPolicy.PLAIN, history, Set.of(stopped.id()));
            assertEquals(keep, Files.exists(stoppedDir), "deleted by the rerun unless checkpoints are kept");
            assertEquals(resumeFrom.toString(), asha.next().orElseThrow().segment().resumeFrom(),
                    "the trial under way keeps its checkpoint and continues from it");
            assertTrue(Files.isRegularFile(resumeFrom));
        }
    }

    @Test
    void aStoppedSeedKeptForACompletionThatNeverCameIsDeletedWhenTheSweepEnds() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Path ck = dir.resolve("ck");
        // Only the first seed runs here (the second was trained, say, by another sweep): it stops, and waits for a
        // sibling that will never end in this run.
        Map<String, Object> better = new java.util.LinkedHashMap<>(trials.get(0).configuration());
        better.put("hidden", 9);
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of(trials.get(0))), Rungs.of(10, 90, 3),
                ck, false, SeedPolicy.complete(2),
                List.of(new RungRecord("other", 0, 0.99, Asha.Decision.PROMOTED, null, better),
                new RungRecord("other", 1, 0.5, Asha.Decision.STOPPED, null, better)), Set.of("other"));
        Work a0 = asha.next().orElseThrow();
        rungCheckpoint(ck, a0);
        assertTrue(asha.finished(a0, ok(0.5, 10)).stopped());
        assertTrue(Files.isDirectory(ck.resolve(a0.trial().id())), "kept while its sibling may still complete");
        assertTrue(asha.next().isEmpty());
        asha.sweepEnded();
        assertTrue(Files.notExists(ck.resolve(a0.trial().id())), "given up when the run has nothing left");
    }

    @Test
    void withFinalistSeedsTheSearchRunsOnTheFirstSeedAndACompletedConfigurationThenTrainsTheOthers()
            throws IOException {
        Path file = dir.resolve("f.conf");
        Files.writeString(file, "sweep { search { scheduler = asha, asha { min-iterations = 10, other-seeds = finalists"
                + " } }, space { family = [lstm], hidden = [8, 16], iterations = [90], seed = [1, 2, 3] } }");
        SweepDefinition sweep = SweepConfig.load(file.toString(), Map.of()).sweep();
        assertEquals(List.of(1L), SpaceExpander.searchSeeds(sweep));
        List<Trial> firstSeeds = SpaceExpander.expand(sweep, MNIST).stream()
                .filter(t -> ((Number) t.configuration().get("seed")).longValue() == 1).toList();
        assertEquals(2, firstSeeds.size());
        Path ck = dir.resolve("ck");
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(firstSeeds), Rungs.of(10, 90, 3), ck, false,
                new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), List.of(), Set.of());
        Work a0 = asha.next().orElseThrow();
        Work b0 = asha.next().orElseThrow();
        assertTrue(asha.next().isEmpty(), "only the first seed searches");
        rungCheckpoint(ck, a0);
        rungCheckpoint(ck, b0);
        assertEquals("promoted", asha.finished(a0, ok(0.9, 10)).decision());
        assertTrue(asha.finished(b0, ok(0.5, 10)).stopped());
        asha.recorded(b0);
        assertTrue(Files.notExists(ck.resolve(b0.trial().id())), "no other seed can revive it: decided at once");
        Work a1 = asha.next().orElseThrow();
        rungCheckpoint(ck, a1);
        asha.finished(a1, ok(0.92, 30));
        Work a2 = asha.next().orElseThrow();
        assertTrue(asha.next().isEmpty(), "the other seeds wait for the completion");
        assertEquals("completed", asha.finished(a2, ok(0.95, 90)).decision());

        // Seeds 2 and 3 of the completed configuration start from scratch, promoted whatever they score.
        Work s2 = asha.next().orElseThrow();
        Work s3 = asha.next().orElseThrow();
        assertTrue(asha.next().isEmpty());
        assertEquals(Set.of(2L, 3L), Set.of(((Number) s2.trial().configuration().get("seed")).longValue(),
                ((Number) s3.trial().configuration().get("seed")).longValue()));
        assertEquals(a0.trial().configId(), s2.trial().configId());
        assertEquals(0, s2.segment().rung());
        assertNull(s2.segment().resumeFrom());
        assertTrue(s2.segment().note().contains("completed the last rung on seed 1"), s2.segment().note());
        rungCheckpoint(ck, s2);
        assertEquals("promoted", asha.finished(s2, ok(0.1, 10)).decision(), "forced, though far below 0.9");
        assertEquals(1, asha.next().orElseThrow().segment().rung());

        // A rerun after a kill: seed 2 under way (its rung-0 record), seed 3 never started. Seed 2 resumes, seed 3
        // starts; the configuration that stopped starts nothing.
        List<RungRecord> history = List.of(
                new RungRecord(a0.trial().id(), 0, 0.9, Asha.Decision.PROMOTED, "x", a0.trial().configuration()),
                new RungRecord(b0.trial().id(), 0, 0.5, Asha.Decision.STOPPED, null, b0.trial().configuration()),
                new RungRecord(a0.trial().id(), 1, 0.92, Asha.Decision.PROMOTED, "y", a0.trial().configuration()),
                new RungRecord(a0.trial().id(), 2, 0.95, Asha.Decision.COMPLETED, null, a0.trial().configuration()),
                new RungRecord(s2.trial().id(), 0, 0.1, Asha.Decision.PROMOTED, s2.segment().checkpointTo(),
                        s2.trial().configuration()));
        AshaTrials rerun = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), history,
                Set.of(a0.trial().id(), b0.trial().id()));
        Map<String, Integer> rungs = new java.util.HashMap<>();
        rerun.next().ifPresent(w -> rungs.put(w.trial().id(), w.segment().rung()));
        rerun.next().ifPresent(w -> rungs.put(w.trial().id(), w.segment().rung()));
        assertTrue(rerun.next().isEmpty());
        assertEquals(Map.of(s2.trial().id(), 1, s3.trial().id(), 0), rungs);
    }

    private SweepDefinition finalists() throws IOException {
        Path file = dir.resolve("f.conf");
        Files.writeString(file, "sweep { search { scheduler = asha, asha { min-iterations = 10, other-seeds = finalists"
                + " } }, space { family = [lstm], hidden = [8, 16], iterations = [90], seed = [1, 2, 3] } }");
        return SweepConfig.load(file.toString(), Map.of()).sweep();
    }

    private static long seedOf(Trial t) {
        return ((Number) t.configuration().get("seed")).longValue();
    }

    @Test
    void aFinalistsLaterSeedsArePromotedOutsideTheRungsPopulation() throws IOException {
        SweepDefinition sweep = finalists();
        List<Trial> firstSeeds = SpaceExpander.expand(sweep, MNIST).stream().filter(t -> seedOf(t) == 1).toList();
        Path ck = dir.resolve("ck");
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(firstSeeds), Rungs.of(10, 90, 3), ck, false,
                new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), List.of(), Set.of());
        assertEquals("then seeds 2, 3 of each configuration that completes", asha.laterWork(),
                "the run's start line says the finalists' seeds come on top of the trials it counts");
        // Rungs 10, 30, 90: all train 10, a third 20 more, a ninth 60 more, and a ninth adds two seeds of 90.
        assertEquals(10 + 20 / 3.0 + 60 / 9.0 + 2 * 90 / 9.0, asha.expectedIterationsPerNewTrial(), 1e-9,
                "what the ETA prices a configuration not yet proposed at");
        Work a0 = asha.next().orElseThrow();
        asha.finished(a0, ok(0.9, 10));
        assertEquals(List.of(), asha.drainAdded());
        Work a1 = asha.next().orElseThrow();
        asha.finished(a1, ok(0.9, 30));
        Work a2 = asha.next().orElseThrow();
        assertEquals("completed", asha.finished(a2, ok(0.9, 90)).decision());
        List<Work> added = asha.drainAdded();
        assertEquals(2, added.size(), "the progress line learns of the two seeds it adds");
        assertTrue(asha.drainAdded().isEmpty(), "once");
        // The later seeds score 0.95 at every rung; had they counted, the next configuration's 0.92 would rank
        // third of four at rung 0 (outside the top ceil(4/3) = 2) and stop.
        Work next = asha.next().orElseThrow();
        while (seedOf(next.trial()) != 1) {
            Files.createDirectories(Path.of(next.segment().checkpointTo() == null ? ck.toString()
                    : next.segment().checkpointTo()).getParent());
            if (next.segment().checkpointTo() != null) {
                Files.writeString(Path.of(next.segment().checkpointTo()), "ck");
            }
            asha.finished(next, ok(0.95, next.segment().untilIteration()));
            next = asha.next().orElseThrow();
        }
        assertEquals(firstSeeds.get(1).id(), next.trial().id());
        assertEquals("promoted", asha.finished(next, ok(0.92, 10)).decision(),
                "compared with the first seeds alone, 0.92 tops 0.9");
    }

    @Test
    void aTrialThatFailedIsTrainedAgainFromScratchAndItsOldDecisionsAreNotReplayed() throws IOException {
        SweepDefinition sweep = sweep();
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial failed = trials.get(0);
        Trial running = trials.get(1);
        // The failed trial stopped at rung 1 with no score (its segment failed; its final row says failed, which is
        // not final); the other was promoted at rung 0 when the driver was killed.
        List<RungRecord> history = List.of(
                new RungRecord(failed.id(), 0, 0.9, Asha.Decision.PROMOTED, "x", failed.configuration()),
                new RungRecord(failed.id(), 1, Double.NaN, Asha.Decision.STOPPED, null, failed.configuration()),
                new RungRecord(running.id(), 0, 0.5, Asha.Decision.PROMOTED, "y", running.configuration()));
        assertEquals(Set.of(running.id()), RungRecord.underWay(history, Set.of()).keySet(),
                "the failed trial is not under way");
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of(failed)), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, SeedPolicy.complete(2), history, Set.of());
        Work resumed = asha.next().orElseThrow();
        assertEquals(running.id(), resumed.trial().id());
        Work again = asha.next().orElseThrow();
        assertEquals(failed.id(), again.trial().id());
        assertEquals(0, again.segment().rung(), "from scratch");
        assertEquals(0, again.segment().fromIteration());
        // Its rung-0 decision is made afresh (the old "promoted" is not replayed): 0.4 is below the other's 0.5.
        assertTrue(asha.finished(again, ok(0.4, 10)).stopped());
    }

    @Test
    void aLaterSeedStoppedBeforeTheSweepSwitchedToFinalistsContinuesWhenItsConfigurationCompletes()
            throws IOException {
        SweepDefinition sweep = finalists();
        List<Trial> all = SpaceExpander.expand(sweep, MNIST);
        Trial first = all.stream().filter(t -> seedOf(t) == 1).findFirst().orElseThrow();
        Trial second = all.stream().filter(t -> seedOf(t) == 2 && t.configId().equals(first.configId()))
                .findFirst().orElseThrow();
        Trial third = all.stream().filter(t -> seedOf(t) == 3 && t.configId().equals(first.configId()))
                .findFirst().orElseThrow();
        // Searched on every seed before: seed 2 stopped at rung 0 (final row), seed 1 promoted and under way.
        Path ck = dir.resolve("ck");
        Path firstCk = Files.createDirectories(ck.resolve(first.id())).resolve("rung-0.ckpt");
        Files.writeString(firstCk, "rung 0");
        List<RungRecord> history = List.of(
                new RungRecord(first.id(), 0, 0.9, Asha.Decision.PROMOTED, firstCk.toString(), first.configuration()),
                new RungRecord(second.id(), 0, 0.3, Asha.Decision.STOPPED, null, second.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), history, Set.of(second.id()));
        Work w1 = asha.next().orElseThrow();
        assertEquals(first.id(), w1.trial().id());
        Files.createDirectories(Path.of(w1.segment().checkpointTo()).getParent());
        Files.writeString(Path.of(w1.segment().checkpointTo()), "rung 1");
        asha.finished(w1, ok(0.9, 30));
        Work w2 = asha.next().orElseThrow();
        assertEquals("completed", asha.finished(w2, ok(0.9, 90)).decision());
        Map<String, Work> after = new java.util.HashMap<>();
        asha.next().ifPresent(w -> after.put(w.trial().id(), w));
        asha.next().ifPresent(w -> after.put(w.trial().id(), w));
        assertTrue(asha.next().isEmpty());
        assertEquals(Set.of(second.id(), third.id()), after.keySet());
        assertEquals(1, after.get(second.id()).segment().rung(), "seed 2 continues after its stop at rung 0");
        assertEquals(Set.of(second.id()), asha.reopened());
        assertEquals(0, after.get(third.id()).segment().rung(), "seed 3 starts");
    }

    @Test
    void aFirstSeedThatCompletedElsewhereStartsItsConfigurationsLaterSeeds() throws IOException {
        SweepDefinition sweep = finalists();
        List<Trial> all = SpaceExpander.expand(sweep, MNIST);
        Trial adopted = all.stream().filter(t -> seedOf(t) == 1).findFirst().orElseThrow();
        Trial other = all.stream().filter(t -> seedOf(t) == 1 && !t.configId().equals(adopted.configId()))
                .findFirst().orElseThrow();
        Trial laterSeed = all.stream().filter(t -> seedOf(t) == 2 && t.configId().equals(other.configId()))
                .findFirst().orElseThrow();
        // The other configuration's first seed has rung records here (under way); the adopted one has none.
        Path ck = Files.createDirectories(dir.resolve("ck").resolve(other.id()));
        Files.writeString(ck.resolve("rung-0.ckpt"), "rung 0");
        List<RungRecord> history = List.of(new RungRecord(other.id(), 0, 0.9, Asha.Decision.PROMOTED,
                ck.resolve("rung-0.ckpt").toString(), other.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), history,
                Set.of(adopted.id()));
        asha.completedElsewhere(other.id(), other.configuration());
        asha.completedElsewhere(laterSeed.id(), laterSeed.configuration());
        assertEquals(List.of(), asha.drainAdded(), "under way here (not finished), or a later seed: nothing starts");
        asha.completedElsewhere(adopted.id(), adopted.configuration());
        List<Work> added = asha.drainAdded();
        assertEquals(Set.of(2L, 3L), Set.copyOf(added.stream().map(w -> seedOf(w.trial())).toList()));
        assertTrue(added.stream().allMatch(w -> w.trial().configId().equals(adopted.configId())
                && w.segment().rung() == 0), added.toString());
        asha.completedElsewhere(adopted.id(), adopted.configuration());
        assertEquals(List.of(), asha.drainAdded(), "once");

        // The trial under way resumes at rung 1 (higher rungs first); each later seed is promoted whatever it scores
        // (0.1, far below the other's 0.9) until it completes.
        Map<String, String> lastDecision = new java.util.HashMap<>();
        for (Work w = asha.next().orElse(null); w != null; w = asha.next().orElse(null)) {
            writeCheckpoint(w);
            boolean laterOfAdopted = w.trial().configId().equals(adopted.configId());
            lastDecision.put(w.trial().id(), asha.finished(w, ok(laterOfAdopted ? 0.1 : 0.9,
                    w.segment().untilIteration())).decision());
            if (laterOfAdopted) {
                assertTrue(Set.of("promoted", "completed").contains(lastDecision.get(w.trial().id())), "forced");
            }
        }
        // The adopted configuration's two later seeds, and the trial under way, which completes too (alone at its
        // rungs) and brings its own two later seeds.
        assertEquals(5, lastDecision.size(), lastDecision.toString());
        assertEquals(Set.of("completed"), Set.copyOf(lastDecision.values()), lastDecision.toString());
    }

    private static void writeCheckpoint(Work w) throws IOException {
        if (w.segment().checkpointTo() != null) {
            Files.createDirectories(Path.of(w.segment().checkpointTo()).getParent());
            Files.writeString(Path.of(w.segment().checkpointTo()), "ck");
        }
    }

    @Test
    void aCompletionElsewhereRevivesTheStoppedSeedsOnlyForATrialOfThisSweepAsItIsNow() throws IOException {
        SweepDefinition sweep = sweep(); // seeds [1, 2], all searched, complete-seeds
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial first = trials.stream().filter(t -> seedOf(t) == 1).findFirst().orElseThrow();
        Trial second = trials.stream().filter(t -> seedOf(t) == 2).findFirst().orElseThrow();
        Path ck = Files.createDirectories(dir.resolve("ck").resolve(second.id())).resolve("rung-0.ckpt");
        Files.writeString(ck, "rung 0");
        List<RungRecord> history = List.of(
                new RungRecord(second.id(), 0, 0.3, Asha.Decision.STOPPED, ck.toString(), second.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, SeedPolicy.complete(2), history, Set.of(first.id(), second.id()));
        assertTrue(asha.next().isEmpty(), "seed 2 stays stopped while nothing completed");

        // A row of another budget (or other data) is not this sweep's trial: it completes nothing.
        Map<String, Object> shorter = new java.util.LinkedHashMap<>(first.configuration());
        shorter.put("iterations", 30);
        asha.completedElsewhere(SpaceExpander.trial(sweep, shorter, MNIST).id(), shorter);
        asha.completedElsewhere("not-its-id", first.configuration());
        assertTrue(asha.next().isEmpty());
        assertEquals(Set.of(), asha.reopened());

        asha.completedElsewhere(first.id(), first.configuration());
        Work revived = asha.next().orElseThrow();
        assertEquals(second.id(), revived.trial().id());
        assertEquals(1, revived.segment().rung(), "continues after its stop at rung 0");
        assertEquals(ck.toString(), revived.segment().resumeFrom(), "from the checkpoint kept for this");
        assertEquals(Set.of(second.id()), asha.reopened());
        assertEquals(List.of(revived), asha.drainAdded());
        assertTrue(asha.next().isEmpty());
    }

    @Test
    void aSeedRevivedForACompletionElsewhereAndInterruptedContinuesWhenTheRerunLearnsOfThatCompletion()
            throws IOException {
        SweepDefinition sweep = sweep(); // seeds [1, 2], all searched, complete-seeds
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial first = trials.stream().filter(t -> seedOf(t) == 1).findFirst().orElseThrow();
        Trial second = trials.stream().filter(t -> seedOf(t) == 2).findFirst().orElseThrow();
        Path rung1 = Files.createDirectories(dir.resolve("ck").resolve(second.id())).resolve("rung-1.ckpt");
        Files.writeString(rung1, "rung 1");
        // Seed 2 stopped at rung 0 (its stop's row is final), was revived when seed 1 completed in another sweep, and
        // was promoted at rung 1 when the driver was killed.
        List<RungRecord> history = List.of(
                new RungRecord(second.id(), 0, 0.3, Asha.Decision.STOPPED, null, second.configuration()),
                new RungRecord(second.id(), 1, 0.5, Asha.Decision.PROMOTED, rung1.toString(), second.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, SeedPolicy.complete(2), history, Set.of(first.id(), second.id()));
        assertTrue(asha.next().isEmpty(), "nothing known yet of the completion");
        asha.completedElsewhere(first.id(), first.configuration());
        Work resumed = asha.next().orElseThrow();
        assertEquals(second.id(), resumed.trial().id());
        assertEquals(2, resumed.segment().rung(), "from where it was, not from its stop");
        assertEquals(rung1.toString(), resumed.segment().resumeFrom());
        assertEquals(Set.of(second.id()), asha.reopened());
    }

    @Test
    void aFirstSeedPromotedHereAndFinishedByAnotherSweepStillCompletesItsConfiguration() throws IOException {
        SweepDefinition sweep = finalists();
        Trial first = SpaceExpander.expand(sweep, MNIST).stream().filter(t -> seedOf(t) == 1).findFirst()
                .orElseThrow();
        List<RungRecord> history = List.of(
                new RungRecord(first.id(), 0, 0.9, Asha.Decision.PROMOTED, "gone", first.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3),
                dir.resolve("ck"), false, new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), history,
                Set.of(first.id()));
        assertTrue(asha.next().isEmpty(), "finished elsewhere: not resumed here");
        asha.completedElsewhere(first.id(), first.configuration());
        assertEquals(Set.of(2L, 3L), Set.copyOf(asha.drainAdded().stream().map(w -> seedOf(w.trial())).toList()));
    }

    @Test
    void aLaterSeedStoppedBeforeTheSwitchToFinalistsIsRevivedOnceAndKeepsItsCheckpoint() throws IOException {
        SweepDefinition sweep = finalists();
        List<Trial> all = SpaceExpander.expand(sweep, MNIST);
        Trial first = all.stream().filter(t -> seedOf(t) == 1).findFirst().orElseThrow();
        Trial third = all.stream().filter(t -> seedOf(t) == 3 && t.configId().equals(first.configId()))
                .findFirst().orElseThrow();
        Trial otherFirst = all.stream().filter(t -> seedOf(t) == 1 && !t.configId().equals(first.configId()))
                .findFirst().orElseThrow();
        Trial otherThird = all.stream().filter(t -> seedOf(t) == 3 && t.configId().equals(otherFirst.configId()))
                .findFirst().orElseThrow();
        // Searched on every seed before: seed 3 of both configurations stopped at rung 0 (checkpoints kept); seed 1
        // of the first is under way at rung 1, seed 1 of the other stopped at rung 0.
        Path ck = dir.resolve("ck");
        Path thirdCk = Files.createDirectories(ck.resolve(third.id())).resolve("rung-0.ckpt");
        Files.writeString(thirdCk, "rung 0");
        Path otherThirdCk = Files.createDirectories(ck.resolve(otherThird.id())).resolve("rung-0.ckpt");
        Files.writeString(otherThirdCk, "rung 0");
        Path firstCk = Files.createDirectories(ck.resolve(first.id())).resolve("rung-0.ckpt");
        Files.writeString(firstCk, "rung 0");
        List<RungRecord> history = List.of(
                new RungRecord(first.id(), 0, 0.9, Asha.Decision.PROMOTED, firstCk.toString(), first.configuration()),
                new RungRecord(third.id(), 0, 0.3, Asha.Decision.STOPPED, thirdCk.toString(), third.configuration()),
                new RungRecord(otherFirst.id(), 0, 0.2, Asha.Decision.STOPPED, null, otherFirst.configuration()),
                new RungRecord(otherThird.id(), 0, 0.2, Asha.Decision.STOPPED, otherThirdCk.toString(),
                        otherThird.configuration()));
        AshaTrials asha = new AshaTrials(sweep, MNIST, TrialSource.of(List.of()), Rungs.of(10, 90, 3), ck, false,
                new SeedPolicy(1, List.of(2L, 3L), SharedResults.NONE), history,
                Set.of(third.id(), otherFirst.id(), otherThird.id()));
        assertTrue(Files.exists(thirdCk), "kept: its configuration is undecided while seed 1 is under way");
        assertTrue(Files.notExists(otherThirdCk), "deleted: its configuration's first seed stopped");

        Map<String, Integer> segmentsOf = new java.util.HashMap<>();
        for (Work w = asha.next().orElse(null); w != null; w = asha.next().orElse(null)) {
            writeCheckpoint(w);
            segmentsOf.merge(w.trial().id(), 1, Integer::sum);
            if (w.trial().id().equals(third.id()) && w.segment().rung() == 1) {
                assertEquals(thirdCk.toString(), w.segment().resumeFrom(), "continues from its kept checkpoint");
            }
            asha.finished(w, ok(0.9, w.segment().untilIteration()));
        }
        assertEquals(2, segmentsOf.get(third.id()), "rungs 1 and 2, once each: " + segmentsOf);
        assertEquals(3, segmentsOf.size(), "seed 1 finishing, seed 2 starting, seed 3 revived: " + segmentsOf);
    }
}
