package dev.sparksweep.model;

import dev.sparksweep.model.NetworkFactory.Implementation;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused layers must compute what DL4J's own layers compute (same weights, same outputs, same gradients), their
 * gradients must match finite differences, and the vector kernels must agree with the scalar reference kernels.
 */
class FusedRecurrentTest {

    static Stream<Arguments> stockComparable() {
        return Stream.of(
                Arguments.of(ModelSpec.rnn(2, RnnActivation.TANH).withHidden(24)),
                Arguments.of(ModelSpec.rnn(1, RnnActivation.RELU).withHidden(20).withExtraFc(true)),
                Arguments.of(ModelSpec.lstm(2).withHidden(24)),
                Arguments.of(ModelSpec.lstm(1).withHidden(13).withBidirectional(true)),
                Arguments.of(ModelSpec.rnn(2, RnnActivation.TANH).withHidden(16).withBidirectional(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stockComparable")
    void sameWeightsGiveTheStockLayersOutputsAndGradients(ModelSpec spec) {
        MultiLayerNetwork stock = NetworkFactory.build(spec, new NoOp(), 5, DataType.FLOAT, Implementation.STOCK);
        MultiLayerNetwork fused = NetworkFactory.build(spec, new NoOp(), 6, DataType.FLOAT, Implementation.FUSED);
        assertEquals(stock.numParams(), fused.numParams());
        for (int i = 0; i < stock.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> p : stock.getLayer(i).paramTable().entrySet()) {
                fused.getLayer(i).setParam(p.getKey(), p.getValue().dup());
            }
        }
        assertEquals(stock.params(), fused.params(), "parameters copied by name");

        Nd4j.getRandom().setSeed(12);
        INDArray input = Nd4j.rand(DataType.FLOAT, 7, NetworkFactory.FEATURES, NetworkFactory.TIME_STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 7, NetworkFactory.CLASSES);
        for (int i = 0; i < 7; i++) {
            labels.putScalar(i, (i * 3) % 10, 1f);
        }
        INDArray expected = stock.output(input, false);
        INDArray actual = fused.output(input, false);
        assertTrue(expected.equalsWithEps(actual, 1e-5), "outputs differ:\n" + expected + "\n" + actual);

        stock.setInput(input);
        stock.setLabels(labels);
        stock.computeGradientAndScore();
        fused.setInput(input);
        fused.setLabels(labels);
        fused.computeGradientAndScore();
        assertEquals(stock.score(), fused.score(), 1e-5);
        Gradient a = stock.gradient();
        Gradient b = fused.gradient();
        for (String key : a.gradientForVariable().keySet()) {
            INDArray ga = a.getGradientFor(key);
            INDArray gb = b.getGradientFor(key);
            double scale = Math.max(1e-3, ga.norm2Number().doubleValue());
            double diff = ga.sub(gb).norm2Number().doubleValue();
            assertTrue(diff / scale < 1e-4, key + ": relative difference " + diff / scale);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesForEveryCell() {
        DataType previous = Nd4j.dataType();
        // GradientCheckUtil insists on double as ND4J's global default, not only the network's type.
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (ModelSpec spec : new ModelSpec[]{ModelSpec.rnn(2, RnnActivation.TANH).withHidden(4),
                    ModelSpec.rnn(1, RnnActivation.RELU).withHidden(5), ModelSpec.lstm(2).withHidden(3),
                    ModelSpec.gru(2).withHidden(4),
                    ModelSpec.gru(1).withHidden(3).withBidirectional(true).withExtraFc(true)}) {
                MultiLayerNetwork network = NetworkFactory.build(spec, new NoOp(), 3, DataType.DOUBLE);
                Nd4j.getRandom().setSeed(9);
                INDArray input = Nd4j.rand(DataType.DOUBLE, 2, NetworkFactory.FEATURES, NetworkFactory.TIME_STEPS);
                INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, NetworkFactory.CLASSES);
                labels.putScalar(0, 3, 1.0);
                labels.putScalar(1, 7, 1.0);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(network)
                        .input(input).labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                        .subset(true).maxPerParam(12).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                assertTrue(ok, "gradient check of " + spec.describe());
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void vectorKernelsAgreeWithTheScalarReference() {
        assertTrue(VectorSupport.AVAILABLE, "tests run with --add-modules=jdk.incubator.vector");
        for (Cell cell : Cell.values()) {
            for (int units : new int[]{16, 13}) { // 13: exercises the masked tail of each row
                StepBuffers a = randomBuffers(cell, units, 1);
                StepBuffers b = randomBuffers(cell, units, 1);
                double[] rb = cell.hasRecurrentBias() ? new double[3 * units] : null;
                if (rb != null) {
                    for (int i = 0; i < rb.length; i++) {
                        rb[i] = Math.sin(i);
                    }
                }
                ScalarGateKernels.FLOAT.forward(cell, a, 1, rb);
                VectorSupport.kernels().forward(cell, b, 1, rb);
                assertClose(cell + " forward states", a.states, b.states);
                assertClose(cell + " forward gates", a.gates2, b.gates2);
                ScalarGateKernels.FLOAT.backward(cell, a, a.backward(cell), 1);
                VectorSupport.kernels().backward(cell, b, b.backward(cell), 1);
                assertClose(cell + " backward gates", a.backward(cell).gateGrad, b.backward(cell).gateGrad);
                assertClose(cell + " backward carried", a.backward(cell).carried, b.backward(cell).carried);
            }
        }
    }

    /** Buffers for 3 examples x 2 steps filled with the same pseudo-random values (seeded). */
    private static StepBuffers randomBuffers(Cell cell, int units, long seed) {
        StepBuffers s = new StepBuffers(cell, 3, 2, 5, units, DataType.FLOAT);
        StepBuffers.Backward g = s.backward(cell);
        Nd4j.getRandom().setSeed(seed);
        for (INDArray x : new INDArray[]{s.gates2, s.states, s.cells, s.cellTanh, s.recurrentCandidate,
                s.recurrentProduct, g.outputGrad, g.stateGrad, g.carried}) {
            if (x != null) {
                x.assign(Nd4j.rand(DataType.FLOAT, x.shape()).subi(0.5).muli(2));
            }
        }
        return s;
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertTrue(expected.equalsWithEps(actual, 2e-6), what + " differ");
    }

}
