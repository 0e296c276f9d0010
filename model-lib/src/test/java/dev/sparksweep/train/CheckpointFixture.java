package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.testdata.TestData;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small real trial to checkpoint (a 1x8 GRU on 400 MNIST images, 10 of 20 iterations) and checks on refusals. */
final class CheckpointFixture {

    static final ModelSpec GRU = ModelSpec.gru(1).withHidden(8);
    static final TrainingConfig CONFIG = new TrainingConfig(20, 20, 5e-3, 3, 5, 200, 1);

    private static DatasetSplits data;

    private CheckpointFixture() {
    }

    /** 400 training, 200 validation and 200 test images, loaded (and their files verified) once. */
    static synchronized DatasetSplits data() {
        if (data == null) {
            data = TestData.mnist(new SplitSpec(200, 400, 200, true));
        }
        return data;
    }

    /** Trains the trial to iteration 10 and checkpoints it to {@code file}. */
    static TrialResult write(Path file) {
        TrialResult result = new RecurrentTrainer().trainSegment(GRU, CONFIG, data(), StopRules.DEFAULT,
                IterationListener.NONE, null, 10, file);
        assertEquals(TrialStatus.OK, result.status(), result.error());
        return result;
    }

    /** Continues {@code spec} and {@code config} on the fixture's data from {@code from} to {@code until}. */
    static TrialResult resume(ModelSpec spec, TrainingConfig config, Path from, int until) {
        return new RecurrentTrainer().trainSegment(spec, config, data(), StopRules.DEFAULT, IterationListener.NONE,
                from, until, null);
    }

    /** The exception names {@code file}, first thing in its message, and says {@code problem}. */
    static void assertNames(CheckpointException e, Path file, String problem) {
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith("checkpoint " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "'" + problem + "' in: " + e.getMessage());
    }
}
