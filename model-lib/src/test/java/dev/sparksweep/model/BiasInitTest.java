package dev.sparksweep.model;

import dev.sparksweep.model.NetworkFactory.Implementation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both bias initialisations, on the fused layers and on DL4J's own, in either direction of bidirectional layers. */
class BiasInitTest {

    private static final int H = 64;

    private static MultiLayerNetwork build(ModelSpec spec, Implementation implementation, long seed) {
        return NetworkFactory.build(spec, UpdateRule.of(new Adam(1e-3)), seed, DataType.FLOAT, implementation);
    }

    private static ModelSpec biLstm(BiasInit init) {
        return ModelSpec.lstm(2).withHidden(H).withBidirectional(true).withExtraFc(true).withBiasInit(init);
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void dl4jStartsBiasesAtZeroAndTheLstmForgetGateAtOne(Implementation implementation) {
        Map<String, INDArray> p = build(biLstm(BiasInit.DL4J), implementation, 3).paramTable();
        for (String key : new String[] {"0_fb", "0_bb", "1_fb", "1_bb"}) {
            INDArray b = p.get(key).reshape(4 * H);
            for (int j = 0; j < 4 * H; j++) {
                assertEquals(j >= H && j < 2 * H ? 1.0 : 0.0, b.getDouble(j), 0.0, key + "[" + j + "]");
            }
        }
        assertEquals(0.0, p.get("2_b").amaxNumber().doubleValue(), 0.0, "extra fc bias");
        assertEquals(0.0, p.get("3_b").amaxNumber().doubleValue(), 0.0, "readout bias");
    }

    @ParameterizedTest
    @EnumSource(Implementation.class)
    void pytorchDrawsEveryBiasWithPytorchsSpreadAndLeavesTheWeightsAsTheyWere(Implementation implementation) {
        MultiLayerNetwork dl4j = build(biLstm(BiasInit.DL4J), implementation, 3);
        MultiLayerNetwork torch = build(biLstm(BiasInit.PYTORCH), implementation, 3);
        Map<String, INDArray> p = torch.paramTable();
        double k = 1 / Math.sqrt(H);
        for (String key : new String[] {"0_fb", "0_bb", "1_fb", "1_bb"}) {
            // b_ih + b_hh: two uniform draws within k, so within 2k, variance 2k^2/3, the forget block centred on 0.
            assertSpread(p.get(key), 2 * k, 2 * k * k / 3, key);
            INDArray forget = p.get(key).reshape(4 * H).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(H, 2 * H));
            assertEquals(0.0, forget.meanNumber().doubleValue(), 0.1, key + " forget block mean");
        }
        double dense = 1 / Math.sqrt(2 * H);
        assertSpread(p.get("2_b"), dense, dense * dense / 3, "extra fc bias (fan-in 2H)");
        double readout = 1 / Math.sqrt(H);
        assertSpread(p.get("3_b").reshape(10), readout, Double.NaN, "readout bias (fan-in H)");
        for (String key : p.keySet()) {
            if (key.endsWith("W")) {
                assertEquals(dl4j.getParam(key), torch.getParam(key), key + " unchanged");
            }
        }
        // The table's arrays are views: the network's flat parameter vector holds the new biases.
        assertNotEquals(dl4j.params(), torch.params());
        assertEquals(torch.params(), build(biLstm(BiasInit.PYTORCH), implementation, 3).params(), "same seed");
        assertNotEquals(torch.params(), build(biLstm(BiasInit.PYTORCH), implementation, 4).params(), "other seed");
    }

    @Test
    void gruBiasesAreAlreadyDrawnAsPytorchDoesAndOnlyTheLinearLayersChange() {
        ModelSpec gru = ModelSpec.gru(1).withHidden(H).withExtraFc(true);
        MultiLayerNetwork dl4j = build(gru, Implementation.FUSED, 5);
        MultiLayerNetwork torch = build(gru.withBiasInit(BiasInit.PYTORCH), Implementation.FUSED, 5);
        assertEquals(dl4j.getParam("0_b"), torch.getParam("0_b"));
        assertEquals(dl4j.getParam("0_rb"), torch.getParam("0_rb"));
        assertNotEquals(dl4j.getParam("1_b"), torch.getParam("1_b"));
    }

    @Test
    void theModelsNameSaysWhichAndTheIdsParse() {
        assertEquals("lstm-2x128+ptbias", ModelSpec.lstm(2).withBiasInit(BiasInit.PYTORCH).describe());
        assertEquals("lstm-2x128", ModelSpec.lstm(2).describe());
        assertEquals(BiasInit.PYTORCH, BiasInit.parse("pytorch"));
        assertThrows(IllegalArgumentException.class, () -> BiasInit.parse("torch"));
    }

    private static void assertSpread(INDArray values, double bound, double variance, String what) {
        double[] v = values.castTo(DataType.DOUBLE).data().asDouble();
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        assertTrue(java.util.Arrays.stream(v).allMatch(x -> Math.abs(x) < bound), what + " within " + bound);
        assertTrue(var > 0, what + " drawn, not constant");
        if (!Double.isNaN(variance)) {
            assertEquals(variance, var, 0.2 * variance, what + " variance");
        }
    }
}
