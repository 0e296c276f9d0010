package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static dev.sparksweep.train.CheckpointFixture.CONFIG;
import static dev.sparksweep.train.CheckpointFixture.GRU;
import static dev.sparksweep.train.CheckpointFixture.assertNames;
import static dev.sparksweep.train.CheckpointFixture.resume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a checkpoint holds, how it is written, and which continuations it refuses; {@link DamagedCheckpointTest} has
 * the files that cannot be read.
 */
class CheckpointTest {

    private static TrialResult goodResult;
    private static Path good;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void writeOne() {
        good = shared.resolve("good.zip");
        goodResult = CheckpointFixture.write(good);
    }

    @Test
    void aCheckpointHoldsTheTrialSoFarAndItsFormatVersion() throws IOException {
        Checkpoint checkpoint = Checkpoint.read(good);
        TrainingState state = checkpoint.state();
        assertEquals(10, checkpoint.iteration());
        assertEquals(10, checkpoint.network().getIterationCount(), "DL4J's count drives the schedules");
        assertEquals(GRU, state.model());
        assertEquals(CONFIG, state.config());
        assertEquals(DataIdentity.of(CheckpointFixture.data()), state.data());
        assertEquals(goodResult.curve(), state.curve());
        assertEquals(List.of(5, 10), state.curve().stream().map(CurvePoint::iteration).toList());
        assertEquals(goodResult.bestValidationAccuracy(), state.bestValidationAccuracy());
        assertEquals(goodResult.bestIteration(), state.bestIteration());
        assertEquals(goodResult.finalValidationAccuracy(), state.lastValidationAccuracy());
        assertEquals(goodResult.finalLoss(), state.lastLoss());
        assertEquals(goodResult.parameterCount(), state.parameterCount());
        assertEquals(goodResult.trainSeconds(), state.trainNanos() / 1e9, 1e-9);
        assertEquals(goodResult.wallSeconds(), state.wallNanos() / 1e9, 1e-9);
        assertEquals(0, state.windowSize(), "a segment ends on an evaluation point, which closes the window");
        assertEquals(200, state.position() % 400, "10 batches of 20 into an epoch of 400 images");
        assertTrue(state.startingLoss() > 2 && state.startingLoss() < 2.5, "about ln 10: " + state.startingLoss());

        try (ZipFile zip = new ZipFile(good.toFile())) {
            assertEquals(List.of(Checkpoint.PROPERTIES_ENTRY, Checkpoint.STATE_ENTRY, Checkpoint.MODEL_ENTRY),
                    zip.stream().map(ZipEntry::getName).toList());
            Properties properties = new Properties();
            properties.load(zip.getInputStream(zip.getEntry(Checkpoint.PROPERTIES_ENTRY)));
            assertEquals("1", properties.getProperty("format"));
            assertEquals("gru-1x8", properties.getProperty("model"));
            assertEquals("10", properties.getProperty("iteration"));
        }
    }

    @Test
    void theStateIsImmutable() {
        TrainingState state = Checkpoint.read(good).state();
        int[] order = state.order();
        order[0] = -1;
        assertTrue(state.order()[0] >= 0, "a copy of the order");
        long next = state.shuffle().nextLong();
        assertEquals(next, state.shuffle().nextLong(), "a copy of the generator, in the saved state each time");
    }

    @Test
    void writingIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Checkpoint checkpoint = Checkpoint.read(good);
        Path target = dir.resolve("sub/folder/ck.zip");
        checkpoint.write(target);
        Files.write(target, new byte[]{1, 2, 3});
        checkpoint.write(target);
        assertEquals(10, Checkpoint.read(target).iteration(), "replaced whole");
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of("ck.zip"), files.map(p -> p.getFileName().toString()).toList());
        }

        // A target that cannot be replaced (a non-empty folder): refused by name, nothing left behind.
        Path blocked = dir.resolve("blocked.zip");
        Files.createDirectories(blocked.resolve("inside"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> checkpoint.write(blocked));
        assertNames(e, blocked, "cannot be written");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
    }

    @Test
    void aCheckpointOfAnotherTrialIsRefusedWithWhatDiffers() {
        ModelSpec lstm = ModelSpec.lstm(1).withHidden(8);
        CheckpointException model = assertThrows(CheckpointException.class, () -> resume(lstm, CONFIG, good, 20));
        assertNames(model, good, "cannot continue this trial: it holds a trial of gru-1x8, not lstm-1x8");

        CheckpointException settings = assertThrows(CheckpointException.class, () -> resume(GRU,
                new TrainingConfig(20, 20, 1e-2, 3, 5, 200, 1), good, 20));
        assertNames(settings, good, "learning rate 0.005 in the checkpoint, 0.01 now");

        CheckpointException shifted = assertThrows(CheckpointException.class, () -> resume(GRU,
                CONFIG.withAugmentation(new Augmentation(2)), good, 20));
        assertNames(shifted, good, "augmentation Augmentation[maxShift=0] in the checkpoint, "
                + "Augmentation[maxShift=2] now");

        // A cosine schedule spans the budget: the first iterations of another budget are other iterations.
        TrainingConfig cosine = CONFIG.withOptimization(Optimization.DEFAULT.withSchedule(LrScheduleKind.COSINE));
        Path cosineAt10 = dir.resolve("cosine-at10.zip");
        assertEquals(TrialStatus.OK, new RecurrentTrainer().trainSegment(GRU, cosine, CheckpointFixture.data(),
                StopRules.DEFAULT, IterationListener.NONE, null, 10, cosineAt10).status());
        CheckpointException budget = assertThrows(CheckpointException.class, () -> resume(GRU,
                cosine.withIterations(40), cosineAt10, 20));
        assertNames(budget, cosineAt10, "iterations (the budget) 20 in the checkpoint, 40 now, and the cosine "
                + "schedule spans the budget");
        // A constant rate does not: a longer budget continues the checkpoint (SegmentedTrainingTest checks it exactly).
        TrialResult longer = resume(GRU, CONFIG.withIterations(40), good, 40);
        assertEquals(TrialStatus.OK, longer.status(), longer.error());
        assertEquals(40, longer.iterationsDone());

        DatasetSplits otherSplit = TestData.mnist(new SplitSpec(200, 380, 200, true));
        CheckpointException split = assertThrows(CheckpointException.class, () -> new RecurrentTrainer()
                .trainSegment(GRU, CONFIG, otherSplit, StopRules.DEFAULT, IterationListener.NONE, good, 20, null));
        assertNames(split, good, "400 training and 200 validation images");

        // Speed settings may change between segments: threads, evaluation batch size.
        TrialResult faster = resume(GRU, new TrainingConfig(20, 20, 5e-3, 3, 5, 100, 1), good, 15);
        assertEquals(TrialStatus.OK, faster.status(), faster.error());
    }

    @Test
    void aSegmentMustEndAfterItsCheckpointAndWithinTheBudget() {
        assertNames(assertThrows(CheckpointException.class, () -> resume(GRU, CONFIG, good, 10)), good,
                "is at iteration 10, not before the segment's end 10");
        assertThrows(IllegalArgumentException.class, () -> resume(GRU, CONFIG, good, 21));
        assertThrows(IllegalArgumentException.class, () -> resume(GRU, CONFIG, null, 0));
    }

    @Test
    void aDivergedSegmentWritesNoCheckpoint() {
        Path target = dir.resolve("diverged.zip");
        TrialResult r = new RecurrentTrainer().trainSegment(GRU, new TrainingConfig(20, 20, 1e4, 3, 5, 200, 1),
                CheckpointFixture.data(), StopRules.DEFAULT, IterationListener.NONE, null, 20, target);
        assertEquals(TrialStatus.DIVERGED, r.status(), "final loss " + r.finalLoss());
        assertTrue(Files.notExists(target), "nothing to continue from");
    }

    @Test
    void aCheckpointWhoseNetworkIsNotItsStatesIsRefused() {
        Checkpoint checkpoint = Checkpoint.read(good);
        TrainingState s = checkpoint.state();
        Executable mismatch = () -> new Checkpoint(checkpoint.network(), new TrainingState(s.model(), s.config(),
                s.data(), 9, s.order(), s.position(), s.shuffle(), s.nd4jRootState(), s.nd4jNodeState(),
                s.windowLossSum(), s.windowSize(), s.startingLoss(), s.windowsAbove(), s.curve(),
                s.bestValidationAccuracy(), s.bestIteration(), s.lastValidationAccuracy(), s.lastLoss(),
                s.trainNanos(), s.wallNanos(), s.parameterCount()));
        assertEquals("the network has done 10 iterations, the training state 9",
                assertThrows(IllegalArgumentException.class, mismatch).getMessage());
    }
}
