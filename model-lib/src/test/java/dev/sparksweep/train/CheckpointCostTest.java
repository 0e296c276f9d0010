package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a checkpoint costs for a notebook-sized model, the 2x128 LSTM, with the full MNIST training split's batch
 * order (59,000 images): printed, not asserted, since it depends on the machine and its load.
 */
class CheckpointCostTest {

    private static final int REPEATS = 5;

    @TempDir
    Path dir;

    @Test
    void printsTheSizeAndTimeOfACheckpointOfTheTwoLayerLstm() throws IOException {
        DatasetSplits data = TestData.mnist(new SplitSpec(1000, 0, 1000, true));
        ModelSpec spec = ModelSpec.lstm(2);
        Path file = dir.resolve("lstm.zip");
        TrialResult trained = new RecurrentTrainer().trainSegment(spec, new TrainingConfig(3000, 100, 1e-3, 1, 5,
                1000, 1), data, StopRules.DEFAULT, IterationListener.NONE, null, 5, file);
        assertEquals(TrialStatus.OK, trained.status(), trained.error());

        long[] reads = new long[REPEATS];
        long[] writes = new long[REPEATS];
        Checkpoint checkpoint = null;
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            checkpoint = Checkpoint.read(file);
            reads[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            checkpoint.write(dir.resolve("copy" + i + ".zip"));
            writes[i] = System.nanoTime() - t0;
        }
        assertEquals(5, checkpoint.iteration());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry model = zip.getEntry(Checkpoint.MODEL_ENTRY);
            ZipEntry state = zip.getEntry(Checkpoint.STATE_ENTRY);
            System.out.printf(Locale.ROOT, "checkpoint of %s (%d parameters, Adam, order of %d images): %d bytes "
                            + "(model.zip %d deflated to %d, state.ser %d deflated to %d); write %.1f ms, read %.1f ms "
                            + "(medians of %d)%n", spec.describe(), trained.parameterCount(),
                    data.train().count(), Files.size(file), model.getSize(), model.getCompressedSize(),
                    state.getSize(), state.getCompressedSize(), median(writes), median(reads), REPEATS);
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
