package dev.sparksweep.saved;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.testdata.TestData;
import dev.sparksweep.train.Batches;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.TrainingConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving a trained network with its card and loading it back: same outputs, same training state, damage found. */
class SavedModelTest {

    private static DatasetSplits data;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        data = TestData.mnist(new SplitSpec(200, 1000, 300, true));
    }

    static Stream<ModelSpec> families() {
        return Stream.of(ModelSpec.rnn(2, RnnActivation.TANH).withHidden(16).withExtraFc(true),
                ModelSpec.rnn(1, RnnActivation.RELU).withHidden(16), ModelSpec.lstm(2).withHidden(16),
                ModelSpec.gru(1).withHidden(16), ModelSpec.lstm(1).withHidden(12).withBidirectional(true),
                ModelSpec.gru(2).withHidden(8).withBidirectional(true).withExtraFc(true));
    }

    /** A network of {@code spec} after a few Adam steps on MNIST, so its updater holds real moments. */
    static MultiLayerNetwork trained(ModelSpec spec, int steps) {
        MultiLayerNetwork network = RecurrentTrainer.network(spec, new TrainingConfig(steps, 50, 5e-3, 3, steps, 100, 1,
                false, dev.sparksweep.train.Optimization.DEFAULT));
        int[] order = Batches.identity(data.train().count());
        for (int i = 0; i < steps; i++) {
            int from = i * 50 % data.train().count();
            network.fit(Batches.features(data.train(), order, from, from + 50),
                    Batches.oneHotLabels(data.train(), order, from, from + 50));
        }
        return network;
    }

    static ModelCard card(ModelSpec spec) {
        return new ModelCard("t1", "c1", "s", spec.describe(), Map.of("family", spec.family().toString(),
                "hidden", spec.hidden(), "learning-rate", 5e-3), "mnist", data.checksum(), data.train().count(),
                data.validation().count(), new InputShape(28, 28, 10), Map.of("test_accuracy", 0.5,
                "validation_accuracy", Double.NaN), Map.of("sparksweep", "test"), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aSavedModelLoadsWithTheSameOutputsParametersAndUpdaterState(ModelSpec spec) {
        MultiLayerNetwork network = trained(spec, 6);
        Path file = dir.resolve("m.zip");
        ModelCard written = new SavedModel(network, card(spec)).write(file);
        assertTrue(Files.isRegularFile(SavedModel.cardOf(file)));
        assertEquals(64, written.modelSha256().length());

        SavedModel loaded = SavedModel.read(file);
        assertEquals(written, loaded.card());
        assertEquals(Double.NaN, loaded.card().metric("validation_accuracy"), "a NaN metric is left out");
        assertEquals(0.5, loaded.card().metric("test_accuracy"));
        assertEquals(network.getLayerWiseConfigurations().toJson(),
                loaded.network().getLayerWiseConfigurations().toJson(), "through DL4J's own JSON");
        assertArrayEquals(network.params().data().asFloat(), loaded.network().params().data().asFloat(),
                "the same parameters, exactly");
        assertArrayEquals(network.getUpdater().getStateViewArray().data().asFloat(),
                loaded.network().getUpdater().getStateViewArray().data().asFloat(), "Adam's moments kept");
        // The same outputs, bit for bit.
        int[] order = Batches.identity(data.test().count());
        INDArray input = Batches.features(data.test(), order, 0, 100);
        assertArrayEquals(network.output(input, false).data().asFloat(),
                loaded.network().output(input, false).data().asFloat());
        assertEquals(network.getIterationCount(), loaded.network().getIterationCount());
    }

    @Test
    void damagedTruncatedAndUnaccompaniedModelFilesAreRefusedByName() throws IOException {
        ModelSpec spec = ModelSpec.lstm(1).withHidden(8);
        Path file = dir.resolve("m.zip");
        new SavedModel(trained(spec, 1), card(spec)).write(file);
        byte[] good = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(good, good.length / 2));
        ModelFileException truncated = assertThrows(ModelFileException.class, () -> SavedModel.read(file));
        assertTrue(truncated.getMessage().startsWith(file + ": damaged or replaced"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 0x10;
        Files.write(file, flipped);
        assertTrue(assertThrows(ModelFileException.class, () -> SavedModel.read(file)).getMessage()
                .contains("damaged or replaced"));

        Files.write(file, good);
        Files.writeString(SavedModel.cardOf(file), "{\"format\": 1, \"model\": ");
        assertTrue(assertThrows(ModelFileException.class, () -> SavedModel.read(file)).getMessage()
                .contains("not a readable model card"));
        Files.delete(SavedModel.cardOf(file));
        assertTrue(assertThrows(ModelFileException.class, () -> SavedModel.read(file)).getMessage()
                .contains("model card m.json is missing"));
        assertTrue(assertThrows(ModelFileException.class, () -> SavedModel.read(dir.resolve("none.zip")))
                .getMessage().endsWith("no such model file"));
    }

    @Test
    void evaluationAndPredictionsAgreeWithTheTrainersAccuracy() {
        MultiLayerNetwork network = trained(ModelSpec.gru(1).withHidden(32), 60);
        Images test = data.test();
        double accuracy = RecurrentTrainer.accuracy(network, test, 128);
        assertTrue(accuracy > 0.5, "trained well above chance (0.1): " + accuracy);

        ClassificationReport report = ClassificationReport.of(network, test, 64);
        assertEquals(accuracy, report.accuracy(), 1e-12);
        assertEquals(test.count(), report.images());
        int[] counts = test.labelCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(counts[c], Arrays.stream(report.confusion()[c]).sum(), "row " + c + " holds class " + c);
            assertTrue(report.precision()[c] >= 0 && report.precision()[c] <= 1);
        }
        assertTrue(report.format().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f %%",
                100 * accuracy)), report.format());

        List<Prediction> predictions = Prediction.of(network, test, 100);
        assertEquals(test.count(), predictions.size());
        long right = 0;
        for (int i = 0; i < test.count(); i++) {
            Prediction p = predictions.get(i);
            assertEquals(1.0, Arrays.stream(p.probabilities()).sum(), 1e-4);
            assertEquals(p.probabilities()[p.label()], p.probability());
            right += p.label() == test.label(i) ? 1 : 0;
        }
        assertEquals(accuracy, (double) right / test.count(), 1e-12);
        assertNotEquals(0, right);
    }
}
