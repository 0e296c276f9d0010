package dev.sparksweep.model;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.NetworkFactory.Implementation;
import dev.sparksweep.testdata.TestData;
import dev.sparksweep.train.Batches;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout between stacked recurrent layers, as PyTorch's {@code nn.LSTM(dropout=p)}, on real MNIST images. */
class DropoutTest {

    private static INDArray images;

    @BeforeAll
    static void load() {
        DatasetSplits data = TestData.mnist(new SplitSpec(0, 200, 10, true));
        images = Batches.features(data.train(), Batches.identity(32), 0, 32);
    }

    private static MultiLayerNetwork build(ModelSpec spec, Implementation implementation) {
        return NetworkFactory.build(spec, new Adam(1e-3), 11, DataType.FLOAT, implementation);
    }

    /** The dropout of each layer configuration, looking inside DL4J's LastTimeStep and Bidirectional wrappers. */
    private static List<IDropout> dropouts(MultiLayerNetwork network) {
        List<IDropout> found = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer layer = network.getLayerWiseConfigurations().getConf(i)
                    .getLayer();
            while (layer instanceof BaseWrapperLayer wrapper) {
                layer = wrapper.getUnderlying();
            }
            if (layer instanceof Bidirectional bidirectional) {
                assertEquals(bidirectional.getFwd().getIDropout(), bidirectional.getBwd().getIDropout());
                layer = bidirectional.getFwd();
            }
            found.add(layer.getIDropout());
        }
        return found;
    }

    static Stream<Arguments> stacks() {
        return Stream.of(
                Arguments.of(ModelSpec.lstm(3).withHidden(8), Implementation.FUSED),
                Arguments.of(ModelSpec.lstm(3).withHidden(8), Implementation.STOCK),
                Arguments.of(ModelSpec.gru(3).withHidden(8).withBidirectional(true).withExtraFc(true),
                        Implementation.FUSED),
                Arguments.of(ModelSpec.rnn(3, RnnActivation.RELU).withHidden(8).withBidirectional(true),
                        Implementation.STOCK));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacks")
    void dropoutGoesOnTheInputsOfRecurrentLayersTwoToNAsARetainProbability(ModelSpec spec,
                                                                           Implementation implementation) {
        List<IDropout> dropouts = dropouts(build(spec.withDropout(0.3), implementation));
        assertNull(dropouts.get(0), "the first recurrent layer reads the images undropped");
        for (int i = 1; i < spec.layers(); i++) {
            Dropout dropout = assertInstanceOf(Dropout.class, dropouts.get(i), "recurrent layer " + (i + 1));
            assertEquals(0.7, dropout.getP(), 1e-12, "DL4J takes the probability of keeping a unit");
        }
        for (int i = spec.layers(); i < dropouts.size(); i++) {
            assertNull(dropouts.get(i), "no dropout before the extra fully connected layer or the readout");
        }
    }

    @Test
    void aOneLayerModelIsTheSameNetworkWithOrWithoutDropout() {
        for (ModelSpec spec : List.of(ModelSpec.lstm(1).withHidden(8), ModelSpec.gru(1).withHidden(8).withExtraFc(true),
                ModelSpec.lstm(1).withHidden(8).withBidirectional(true))) {
            assertEquals(build(spec, Implementation.FUSED).getLayerWiseConfigurations().toJson(),
                    build(spec.withDropout(0.5), Implementation.FUSED).getLayerWiseConfigurations().toJson(),
                    spec.describe());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stacks")
    void dropoutIsDrawnAfreshInTrainingAndNeverAppliedAtInference(ModelSpec spec, Implementation implementation) {
        MultiLayerNetwork plain = build(spec, implementation);
        MultiLayerNetwork dropped = build(spec.withDropout(0.3), implementation);
        assertEquals(plain.params(), dropped.params(), "dropout takes nothing from the weight initialisation");

        INDArray inference = dropped.output(images, false);
        assertEquals(inference, dropped.output(images, false), "inference is deterministic");
        assertEquals(plain.output(images, false), inference, "and exactly the network without dropout");
        assertEquals(plain.output(images, true), plain.output(images, false), "nothing random without dropout");

        INDArray first = dropped.output(images, true);
        INDArray second = dropped.output(images, true);
        assertNotEquals(first, second, "each training pass draws a new mask");
        assertNotEquals(inference, first);
    }

    /**
     * The fused layer with dropout must equal the same layer without dropout fed the dropped input, and pass the
     * gradient back through the same mask: what DL4J's own layers do.
     */
    @Test
    void theFusedLayerDropsItsInputAndSendsTheGradientBackThroughTheSameMask() {
        ModelSpec spec = ModelSpec.lstm(2).withHidden(12);
        MultiLayerNetwork dropped = build(spec.withDropout(0.3), Implementation.FUSED);
        MultiLayerNetwork plain = build(spec, Implementation.FUSED);
        dropped.initGradientsView(); // the views backpropagation writes into; fit would create them
        plain.initGradientsView();
        Layer layer = dropped.getLayer(1);
        Layer reference = plain.getLayer(1);
        assertInstanceOf(FusedRecurrentLayer.class, layer);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        // The first layer's states [B, 12, T], moved into (0.1, 1.1): blank image rows leave states of exactly 0,
        // which would hide whether a unit was dropped.
        INDArray hidden = dropped.feedForward(images, false).get(1).mul(0.5).addi(0.6);
        Nd4j.getRandom().setSeed(5);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, images.size(0), 12).subi(0.5);

        layer.setInput(hidden.dup(), noWorkspaces);
        INDArray out = layer.activate(true, noWorkspaces).dup();
        INDArray input = layer.input().dup();
        Pair<Gradient, INDArray> back = layer.backpropGradient(epsilon, noWorkspaces);
        INDArray weightGradients = back.getFirst().gradient().dup();
        INDArray inputGradient = back.getSecond().dup();

        float[] h = hidden.dup('c').data().asFloat();
        float[] x = input.dup('c').data().asFloat();
        float[] mask = new float[h.length];
        int zeros = 0;
        for (int i = 0; i < h.length; i++) {
            mask[i] = x[i] == 0 ? 0f : (float) (1 / 0.7);
            zeros += x[i] == 0 ? 1 : 0;
            assertEquals(mask[i] * h[i], x[i], 1e-6, "a unit is dropped or kept scaled by 1/retain");
        }
        assertEquals(0.3, zeros / (double) h.length, 0.05, "about 30% dropped");

        reference.setInput(input.dup(), noWorkspaces);
        assertTrue(reference.activate(true, noWorkspaces).equalsWithEps(out, 1e-6), "forward on the dropped input");
        Pair<Gradient, INDArray> expected = reference.backpropGradient(epsilon, noWorkspaces);
        assertTrue(expected.getFirst().gradient().equalsWithEps(weightGradients, 1e-6), "weight gradients");
        INDArray masked = expected.getSecond().dup('c').mul(Nd4j.create(mask, hidden.shape(), 'c'));
        assertTrue(masked.equalsWithEps(inputGradient, 1e-6), "input gradient through the mask");
        assertFalse(inputGradient.equalsWithEps(expected.getSecond(), 1e-6), "the mask did change it");
    }

    @Test
    void describeNamesDropoutAndParameterCountIgnoresIt() {
        ModelSpec spec = ModelSpec.lstm(2);
        assertEquals("lstm-2x128", spec.withDropout(0).describe());
        assertEquals("lstm-2x128+drop0.2", spec.withDropout(0.2).describe());
        assertEquals("bi-gru-3x128+fc+drop0.0001", ModelSpec.gru(3).withBidirectional(true).withExtraFc(true)
                .withDropout(1e-4).describe());
        assertEquals(spec.parameterCount(), spec.withDropout(0.5).parameterCount());
        assertEquals(0.25, spec.withDropout(0.25).withHidden(8).withExtraFc(true).withBidirectional(true).dropout(),
                "the other with-methods keep the dropout");
        assertEquals(spec, new ModelSpec(Family.LSTM, 2, 128, null, false, false, 0.0), "6 arguments: no dropout");
    }

    @Test
    void dropoutMustBeAProbabilityBelowOne() {
        for (double bad : new double[]{-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelSpec.lstm(2).withDropout(bad));
            assertEquals("dropout is the probability of dropping a unit: it must be at least 0 and below 1, got "
                    + bad, e.getMessage());
        }
    }
}
