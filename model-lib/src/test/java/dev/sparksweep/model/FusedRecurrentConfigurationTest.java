package dev.sparksweep.model;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.testdata.TestData;
import dev.sparksweep.train.Batches;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The fused layers' configuration survives DL4J's JSON, which is how a saved network (a checkpoint's model.zip)
 * remembers its layers: every field reads back, configurations of different cells stay different, and the layers
 * declare their parameters to DL4J as its own layers do.
 */
class FusedRecurrentConfigurationTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(ModelSpec.rnn(2, RnnActivation.RELU).withHidden(8), ModelSpec.lstm(2).withHidden(8),
                ModelSpec.gru(2).withHidden(8).withDropout(0.3),
                ModelSpec.gru(1).withHidden(8).withBidirectional(true).withExtraFc(true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void theConfigurationReadsBackFromJsonEqual(ModelSpec spec) {
        MultiLayerConfiguration conf = NetworkFactory.build(spec, 1e-3, 1).getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf.toJson(), back.toJson());
        for (int i = 0; i < spec.layers(); i++) {
            FusedRecurrent written = fused(conf.getConf(i).getLayer());
            FusedRecurrent read = fused(back.getConf(i).getLayer());
            assertEquals(written, read, "layer " + i);
            assertEquals(written.hashCode(), read.hashCode());
            assertEquals(written.getCell(), read.getCell());
            assertEquals(written.isLastStepOnly(), read.isLastStepOnly());
            assertEquals(written.getForgetGateBiasInit(), read.getForgetGateBiasInit());
        }
        assertEquals(conf, back);
    }

    @Test
    void layersOfDifferentCellsOrRolesAreNotEqual() {
        FusedRecurrent lstm = new FusedRecurrent.Builder().cell(Cell.LSTM).nIn(28).nOut(8).build();
        FusedRecurrent gru = new FusedRecurrent.Builder().cell(Cell.GRU).nIn(28).nOut(8).build();
        FusedRecurrent lastOnly = new FusedRecurrent.Builder().cell(Cell.LSTM).nIn(28).nOut(8).lastStepOnly(true)
                .build();
        FusedRecurrent otherBias = new FusedRecurrent.Builder().cell(Cell.LSTM).nIn(28).nOut(8)
                .forgetGateBiasInit(0).build();
        assertEquals(lstm, new FusedRecurrent.Builder().cell(Cell.LSTM).nIn(28).nOut(8).build());
        // DL4J's generated equals alone (of BaseRecurrentLayer) would call every one of these equal.
        for (FusedRecurrent other : List.of(gru, lastOnly, otherBias)) {
            assertNotEquals(lstm, other);
            assertNotEquals(other, lstm);
        }
    }

    @Test
    void theLayersDeclareTheirParametersToDl4j() {
        MultiLayerNetwork lstm = NetworkFactory.build(ModelSpec.lstm(2).withHidden(8), 1e-3, 1);
        MultiLayerNetwork gru = NetworkFactory.build(ModelSpec.gru(1).withHidden(8), 1e-3, 1);
        assertEquals(List.of("W", "RW", "b"), lstm.getLayer(0).conf().variables());
        assertEquals(List.of("W", "RW", "b"), lstm.getLayer(1).conf().variables());
        assertEquals(List.of("W", "RW", "b", "rb"), gru.getLayer(0).conf().variables());
        // So DL4J's own parameter setter reaches them (with no variables it silently set nothing).
        INDArray replacement = gru.getLayer(0).params().dup().assign(0.25);
        gru.getLayer(0).setParams(replacement);
        assertEquals(replacement, gru.getLayer(0).params());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aSavedNetworkRestoresWithTheSameLayersAndOutputs(ModelSpec spec) throws IOException {
        DatasetSplits data = TestData.mnist(new SplitSpec(0, 100, 10, true));
        INDArray images = Batches.features(data.train(), Batches.identity(16), 0, 16);
        MultiLayerNetwork network = NetworkFactory.build(spec, new Adam(1e-3), 5, DataType.FLOAT);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, saved, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(saved.toByteArray()), true);
        assertEquals(network.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(network.getLayerWiseConfigurations().toJson(), restored.getLayerWiseConfigurations().toJson());
        for (int i = 0; i < spec.layers(); i++) {
            // A bidirectional layer's directions are built from the FusedRecurrent configurations compared above.
            Class<?> expected = spec.bidirectional() ? BidirectionalLayer.class : FusedRecurrentLayer.class;
            assertEquals(expected, unwrapLayer(restored.getLayer(i)).getClass(), "layer " + i);
        }
        assertArrayEquals(network.output(images, false).data().asFloat(),
                restored.output(images, false).data().asFloat());
    }

    /** The FusedRecurrent inside DL4J's LastTimeStep and Bidirectional configuration wrappers. */
    private static FusedRecurrent fused(Layer layer) {
        while (layer instanceof BaseWrapperLayer wrapper) {
            layer = wrapper.getUnderlying();
        }
        if (layer instanceof Bidirectional bidirectional) {
            layer = bidirectional.getFwd();
        }
        return assertInstanceOf(FusedRecurrent.class, layer);
    }

    /** A working layer inside DL4J's LastTimeStep wrapper. */
    private static org.deeplearning4j.nn.api.Layer unwrapLayer(org.deeplearning4j.nn.api.Layer layer) {
        while (layer instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer wrapper) {
            layer = wrapper.getUnderlying();
        }
        return layer;
    }
}
