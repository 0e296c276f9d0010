package dev.sparksweep.search.scheduling;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
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
                dir.resolve("ck"), false, history, Set.of());
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
                dir.resolve("ck"), false, history, Set.of());
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
}
