package dev.sparksweep.train;

import dev.sparksweep.model.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static dev.sparksweep.train.MnistSteps.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning-rate schedules: the formulas, the rate training really applies, and saving a network with them. */
class LearningRateScheduleTest {

    private static final ModelSpec SPEC = ModelSpec.lstm(2).withHidden(8);
    private static final Optimization D = Optimization.DEFAULT;

    /** The updater every parameter of every layer trains with (one network-wide updater, checked to be shared). */
    private static IUpdater updater(MultiLayerNetwork network) {
        IUpdater first = network.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W");
        for (int i = 1; i < network.getnLayers(); i++) {
            assertEquals(first, network.getLayerWiseConfigurations().getConf(i).getLayer().getUpdaterByParam("W"));
        }
        return first;
    }

    private static void assertRates(Optimization optimization, IntToDoubleFunction expected, int... iterations) {
        IUpdater updater = updater(RecurrentTrainer.network(SPEC, config(0.01, 100, optimization)));
        for (int t : iterations) {
            assertEquals(expected.applyAsDouble(t), updater.getLearningRate(t, 0), 1e-15, "iteration " + t);
        }
    }

    @Test
    void aConstantRateWithoutWarmUpIsThePlainUpdaterOfBefore() {
        Adam adam = assertInstanceOf(Adam.class, updater(RecurrentTrainer.network(SPEC, config(0.01, 100, D))));
        assertEquals(0.01, adam.getLearningRate());
        assertNull(adam.getLearningRateSchedule());
    }

    @Test
    void cosineFallsFromTheRateToZeroAtTheBudget() {
        assertRates(D.withSchedule(LrScheduleKind.COSINE),
                t -> 0.01 * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, 100) / 100)), 0, 1, 25, 50, 99, 100, 150);
        Optimization cosine = D.withSchedule(LrScheduleKind.COSINE);
        assertRates(cosine, t -> 0.01, 0);
        assertRates(cosine, t -> 0.005, 50);
        assertRates(cosine, t -> 0.0, 100);
    }

    @Test
    void stepMultipliesByGammaEveryStepEveryIterations() {
        assertRates(D.withSchedule(LrScheduleKind.STEP).withStepGamma(0.5).withStepEvery(10),
                t -> 0.01 * Math.pow(0.5, Math.floor(t / 10.0)), 0, 9, 10, 19, 25, 99);
        Optimization step = D.withSchedule(LrScheduleKind.STEP).withStepGamma(0.5).withStepEvery(10);
        assertRates(step, t -> 0.01, 0, 9);
        assertRates(step, t -> 0.005, 10);
        assertRates(step, t -> 0.0025, 25);
    }

    @Test
    void warmUpRampsLinearlyIntoAnySchedule() {
        assertRates(D.withWarmupIterations(4), t -> 0.01 * Math.min(1.0, (t + 1) / 4.0), 0, 1, 2, 3, 4, 1000);
        assertRates(D.withWarmupIterations(10).withSchedule(LrScheduleKind.COSINE),
                t -> 0.01 * Math.min(1.0, (t + 1) / 10.0) * 0.5 * (1 + Math.cos(Math.PI * t / 100)), 0, 4, 9, 10, 60);
        assertRates(D.withWarmupIterations(5).withSchedule(LrScheduleKind.STEP).withStepEvery(3).withStepGamma(0.1),
                t -> 0.01 * Math.min(1.0, (t + 1) / 5.0) * Math.pow(0.1, t / 3), 0, 2, 3, 4, 7);
    }

    /**
     * Plain SGD moves the parameters by exactly rate x gradient, so each step shows the rate DL4J really used: the
     * schedule's value at DL4J's iteration count, which must be the number of iterations done before.
     */
    @Test
    void trainingAppliesTheScheduledRateAtEachIteration() {
        int budget = 12;
        Optimization optimization = D.withOptimizer(Optimizer.SGD).withMomentum(0)
                .withSchedule(LrScheduleKind.COSINE).withWarmupIterations(3);
        MultiLayerNetwork network = MnistSteps.exact(SPEC, config(0.5, budget, optimization));
        for (int t = 0; t < budget; t++) {
            assertEquals(t, network.getIterationCount());
            INDArray gradient = MnistSteps.gradient(network, t);
            INDArray moved = MnistSteps.step(network, t);
            double rate = 0.5 * Math.min(1.0, (t + 1) / 3.0) * 0.5 * (1 + Math.cos(Math.PI * t / budget));
            assertTrue(MnistSteps.relativeError(moved, gradient.mul(rate)) < 1e-9,
                    "iteration " + t + ": moved by rate " + rate + " x gradient? relative error "
                            + MnistSteps.relativeError(moved, gradient.mul(rate)));
        }
    }

    /** A network is saved with its configuration: the schedules must be written and read back by DL4J's JSON. */
    @Test
    void aNetworkWithSchedulesSavesAndLoadsAndTrainsOnIdentically() throws IOException {
        for (Optimization optimization : List.of(
                D.withOptimizer(Optimizer.ADAMW).withWeightDecay(0.01).withSchedule(LrScheduleKind.COSINE)
                        .withWarmupIterations(5).withClipNorm(1.0),
                D.withOptimizer(Optimizer.SGD).withSchedule(LrScheduleKind.STEP).withStepEvery(3),
                D.withOptimizer(Optimizer.RMSPROP).withWeightDecay(1e-3))) {
            MultiLayerNetwork network = RecurrentTrainer.network(SPEC.withDropout(0.2), config(0.01, 40, optimization));
            for (int b = 0; b < 3; b++) {
                MnistSteps.step(network, b);
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, saved, true);
            MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(
                    new ByteArrayInputStream(saved.toByteArray()), true);

            String what = optimization.toString();
            assertEquals(network.getLayerWiseConfigurations().toJson(), loaded.getLayerWiseConfigurations().toJson(),
                    what);
            assertEquals(3, loaded.getIterationCount(), what);
            for (int t : new int[]{0, 3, 4, 20, 39}) {
                assertEquals(updater(network).getLearningRate(t, 0), updater(loaded).getLearningRate(t, 0), what);
            }
            assertEquals(network.params(), loaded.params(), what);
            Nd4j.getRandom().setSeed(3); // the same dropout masks for both
            MnistSteps.step(network, 3);
            Nd4j.getRandom().setSeed(3);
            MnistSteps.step(loaded, 3);
            assertArrayEquals(network.params().data().asFloat(), loaded.params().data().asFloat(),
                    "training goes on identically, updater state and all: " + what);
        }
    }
}
