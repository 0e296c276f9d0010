package dev.sparksweep.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkFactoryTest {

    /** Parameters of one recurrent layer: gate blocks x (input weights + recurrent weights + biases). */
    private static long recurrent(ModelSpec spec, long nIn) {
        long h = spec.hidden();
        long perDirection = switch (spec.family()) {
            case RNN -> h * (nIn + h + 1);
            case LSTM -> 4 * h * (nIn + h + 1);
            case GRU -> 3 * h * (nIn + h + 2); // PyTorch-style: input and recurrent bias per gate
        };
        return perDirection * (spec.bidirectional() ? 2 : 1);
    }

    static long expectedParameters(ModelSpec spec) {
        long total = 0;
        long nIn = NetworkFactory.FEATURES;
        for (int i = 0; i < spec.layers(); i++) {
            total += recurrent(spec, nIn);
            nIn = spec.hidden() * (spec.bidirectional() ? 2L : 1L);
        }
        if (spec.extraFc()) {
            total += nIn * spec.hidden() + spec.hidden();
            nIn = spec.hidden();
        }
        return total + nIn * NetworkFactory.CLASSES + NetworkFactory.CLASSES;
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(ModelSpec.rnn(2, RnnActivation.TANH)),
                Arguments.of(ModelSpec.rnn(4, RnnActivation.RELU).withExtraFc(true)),
                Arguments.of(ModelSpec.lstm(2)),
                Arguments.of(ModelSpec.lstm(3).withExtraFc(true)),
                Arguments.of(ModelSpec.gru(2)),
                Arguments.of(ModelSpec.gru(1).withBidirectional(true).withExtraFc(true)),
                Arguments.of(ModelSpec.lstm(2).withBidirectional(true).withHidden(32)),
                Arguments.of(ModelSpec.rnn(1, RnnActivation.TANH).withBidirectional(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void buildsTheSpecifiedNetworkWithClassProbabilitiesOut(ModelSpec spec) {
        MultiLayerNetwork network = NetworkFactory.build(spec, 1e-3, 7);
        assertEquals(expectedParameters(spec), network.numParams(), "parameter count of " + spec.describe());
        assertEquals(network.numParams(), spec.parameterCount(), "the spec's own count, used before building");
        INDArray input = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, NetworkFactory.FEATURES,
                NetworkFactory.TIME_STEPS);
        INDArray out = network.output(input, false);
        assertArrayEquals(new long[]{3, NetworkFactory.CLASSES}, out.shape());
        INDArray sums = out.sum(1);
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, sums.getDouble(i), 1e-5, "softmax rows sum to one");
        }
    }

    @Test
    void theReferenceModelsHaveTheNotebooksSize() {
        // PyTorch counts two bias vectors per gate for RNN/LSTM, DL4J one: notebook sizes minus those extra biases.
        assertEquals(54_538 - 2 * 128, NetworkFactory.build(ModelSpec.rnn(2, RnnActivation.TANH), 1e-3, 1).numParams());
        assertEquals(214_282 - 2 * 512, NetworkFactory.build(ModelSpec.lstm(2), 1e-3, 1).numParams());
    }

    @Test
    void sameSeedSameWeights() {
        ModelSpec spec = ModelSpec.gru(1).withHidden(16);
        assertEquals(NetworkFactory.build(spec, 1e-3, 3).params(), NetworkFactory.build(spec, 1e-3, 3).params());
        assertTrue(!NetworkFactory.build(spec, 1e-3, 3).params().equals(NetworkFactory.build(spec, 1e-3, 4).params()));
    }

    @Test
    void rejectsImpossibleSpecs() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(0));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Family.LSTM, 1, 8, RnnActivation.TANH,
                false, false));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Family.RNN, 1, 8, null, false, false));
        assertThrows(IllegalArgumentException.class, () -> NetworkFactory.build(ModelSpec.lstm(1), 0, 1));
    }
}
