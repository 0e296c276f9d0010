package dev.sparksweep.train;

import dev.sparksweep.model.FusedRecurrentLayer;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import dev.sparksweep.model.RnnActivation;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.sparksweep.train.MnistSteps.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizers, weight decay and clipping as DL4J configures and applies them, on real MNIST mini-batches. */
class UpdateRulesTest {

    private static final Optimization D = Optimization.DEFAULT;

    static Stream<ModelSpec> specs() {
        return Stream.of(ModelSpec.lstm(2).withHidden(16).withExtraFc(true),
                ModelSpec.gru(2).withHidden(8).withBidirectional(true),
                ModelSpec.rnn(2, RnnActivation.TANH).withHidden(8));
    }

    /** Each layer's configuration as DL4J trains it: inside wrappers, each direction of a bidirectional one. */
    private static List<BaseLayer> layerConfs(MultiLayerNetwork network) {
        List<BaseLayer> confs = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer layer = network.getLayerWiseConfigurations().getConf(i)
                    .getLayer();
            while (layer instanceof BaseWrapperLayer wrapper) {
                layer = wrapper.getUnderlying();
            }
            if (layer instanceof Bidirectional bidirectional) {
                confs.add((BaseLayer) bidirectional.getFwd());
                confs.add((BaseLayer) bidirectional.getBwd());
            } else {
                confs.add((BaseLayer) layer);
            }
        }
        return confs;
    }

    /** Today's trials trained with {@code new Adam(lr)} and nothing else; the defaults must configure exactly that. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void theDefaultsConfigureExactlyThePlainAdamNetworkOfBefore(ModelSpec spec) {
        TrainingConfig config = new TrainingConfig(6, MnistSteps.BATCH, 3e-3, 7, 6, 100, 1);
        MultiLayerNetwork now = RecurrentTrainer.network(spec.withDropout(0), config.withOptimization(D));
        MultiLayerNetwork before = NetworkFactory.build(spec, 3e-3, 7);
        assertEquals(before.getLayerWiseConfigurations().toJson(), now.getLayerWiseConfigurations().toJson());
        assertEquals(before.params(), now.params());
    }

    /**
     * And train bit for bit as it: compared on DL4J's own layers, which build from the same plain Adam.
     */
    @Test
    void theDefaultsTrainBitForBitAsPlainAdamDid() {
        for (ModelSpec spec : List.of(ModelSpec.lstm(2).withHidden(16).withExtraFc(true),
                ModelSpec.rnn(2, RnnActivation.RELU).withHidden(8).withBidirectional(true))) {
            TrainingConfig config = new TrainingConfig(6, MnistSteps.BATCH, 3e-3, 7, 6, 100, 1);
            MultiLayerNetwork now = NetworkFactory.build(spec.withDropout(0), UpdateRules.of(config), 7,
                    DataType.FLOAT, NetworkFactory.Implementation.STOCK);
            MultiLayerNetwork before = NetworkFactory.build(spec, new Adam(3e-3), 7, DataType.FLOAT,
                    NetworkFactory.Implementation.STOCK);
            for (int b = 0; b < config.iterations(); b++) {
                MnistSteps.step(now, b);
                MnistSteps.step(before, b);
            }
            assertArrayEquals(before.params().data().asFloat(), now.params().data().asFloat(), spec.describe());
        }
    }

    @Test
    void everyLayerCarriesTheOptimizerWeightDecayAndClipping() {
        ModelSpec spec = ModelSpec.gru(2).withHidden(8).withBidirectional(true).withExtraFc(true);
        record Expected(Optimization optimization, Class<?> updater, Class<?> decay) { }
        for (Expected e : List.of(
                new Expected(D.withWeightDecay(0.1).withClipNorm(0.5), Adam.class, L2Regularization.class),
                new Expected(D.withOptimizer(Optimizer.ADAMW).withWeightDecay(0.1).withClipNorm(0.5), Adam.class,
                        WeightDecay.class),
                new Expected(D.withOptimizer(Optimizer.SGD).withWeightDecay(0.1).withClipNorm(0.5), Nesterovs.class,
                        L2Regularization.class),
                new Expected(D.withOptimizer(Optimizer.SGD).withMomentum(0).withWeightDecay(0.1).withClipNorm(0.5),
                        Sgd.class, L2Regularization.class),
                new Expected(D.withOptimizer(Optimizer.RMSPROP).withWeightDecay(0.1).withClipNorm(0.5),
                        RmsProp.class, L2Regularization.class))) {
            MultiLayerNetwork network = RecurrentTrainer.network(spec, config(1e-3, 10, e.optimization()));
            List<BaseLayer> confs = layerConfs(network);
            assertEquals(6, confs.size(), "2 bidirectional layers of 2 directions, the dense layer, the readout");
            for (BaseLayer layer : confs) {
                String what = e.optimization().optimizer().id() + " " + layer.getClass().getSimpleName();
                assertInstanceOf(e.updater(), layer.getIUpdater(), what);
                assertInstanceOf(e.decay(), layer.getRegularization().get(0), what + ": weights decay");
                assertInstanceOf(e.decay(), layer.getRegularizationBias().get(0), what + ": biases too");
                assertEquals(GradientNormalization.ClipL2PerLayer, layer.getGradientNormalization(), what);
                assertEquals(0.5, layer.getGradientNormalizationThreshold(), what);
            }
        }
        Nesterovs sgd = (Nesterovs) UpdateRules.of(config(0.1, 10, D.withOptimizer(Optimizer.SGD)
                .withMomentum(0.8))).updater();
        assertEquals(0.8, sgd.getMomentum());
        RmsProp rmsProp = (RmsProp) UpdateRules.of(config(0.1, 10, D.withOptimizer(Optimizer.RMSPROP))).updater();
        assertEquals(0.99, rmsProp.getRmsDecay());
        assertEquals(1e-8, rmsProp.getEpsilon());
        assertEquals(0.1, rmsProp.getLearningRate());
    }

    /**
     * With plain SGD at rate 1 a step moves each layer by its gradient after clipping: every layer of these networks
     * has a gradient norm above 0.01 on this batch, so every layer, fused recurrent layers included, must move by a
     * norm of exactly 0.01, in its gradient's direction.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void clippingScalesEachLayersGradientDownToTheThreshold(ModelSpec spec) {
        MultiLayerNetwork network = MnistSteps.exact(spec, config(1.0, 1,
                D.withOptimizer(Optimizer.SGD).withMomentum(0).withClipNorm(0.01)));
        assertTrue(network.getLayer(0) instanceof FusedRecurrentLayer || spec.bidirectional());
        MnistSteps.gradient(network, 0);
        List<INDArray> gradients = new ArrayList<>();
        List<INDArray> before = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            gradients.add(layer.getGradientsViewArray().div(MnistSteps.BATCH)); // the mean, as in MnistSteps
            before.add(layer.params().dup());
        }
        MnistSteps.step(network, 0);
        for (int i = 0; i < network.getnLayers(); i++) {
            double norm = gradients.get(i).norm2Number().doubleValue();
            assertTrue(norm > 0.02, "layer " + i + " gradient norm " + norm + " is above the threshold");
            INDArray moved = before.get(i).sub(network.getLayer(i).params());
            assertEquals(0.01, moved.norm2Number().doubleValue(), 1e-12, "layer " + i + " clipped");
            assertTrue(MnistSteps.relativeError(moved, gradients.get(i).mul(0.01 / norm)) < 1e-9,
                    "layer " + i + " moved along its gradient");
        }
    }

    /**
     * One step from the same weights with and without weight decay: AdamW shrinks the weights by exactly
     * rate x decay x w besides Adam's step (decoupled); SGD's L2 term goes through Nesterov momentum like the
     * gradient, (1 + momentum) x rate x decay x w on the first step; Adam's L2 term goes through Adam's scaling, so
     * it is not that.
     */
    @Test
    void weightDecayIsDecoupledForAdamwAndAnL2TermForTheOthers() {
        ModelSpec spec = ModelSpec.lstm(2).withHidden(8).withExtraFc(true);
        record Case(Optimization optimization, double factor, boolean exact) { }
        for (Case c : List.of(new Case(D.withOptimizer(Optimizer.ADAMW), 1.0, true),
                new Case(D.withOptimizer(Optimizer.SGD).withMomentum(0.9), 1.9, true),
                new Case(D.withOptimizer(Optimizer.SGD).withMomentum(0), 1.0, true),
                new Case(D, 1.0, false))) {
            MultiLayerNetwork plain = MnistSteps.exact(spec, config(0.01, 1, c.optimization()));
            MultiLayerNetwork decayed = MnistSteps.exact(spec, config(0.01, 1, c.optimization().withWeightDecay(0.1)));
            INDArray weights = plain.params().dup();
            assertEquals(weights, decayed.params());
            INDArray extra = MnistSteps.step(decayed, 0).sub(MnistSteps.step(plain, 0));
            double error = MnistSteps.relativeError(extra, weights.mul(c.factor() * 0.01 * 0.1));
            String what = c.optimization().optimizer().id() + " momentum " + c.optimization().momentum();
            assertTrue(c.exact() ? error < 1e-9 : error > 0.5, what + ": relative error " + error);
        }
    }

    /**
     * DL4J's {@code Nesterovs} first step is (1 + momentum) x rate x gradient, as PyTorch's {@code SGD(nesterov=True)}
     * (heavy-ball momentum would move by rate x gradient). RMSProp with decay 0.99 (state starting at epsilon, as
     * DL4J has it) moves by rate x g / (sqrt(0.99 eps + 0.01 g^2) + eps).
     */
    @Test
    void sgdUsesNesterovMomentumAndRmspropPytorchsDecay() {
        ModelSpec spec = ModelSpec.lstm(1).withHidden(8);
        MultiLayerNetwork sgd = MnistSteps.exact(spec, config(0.05, 1, D.withOptimizer(Optimizer.SGD)
                .withMomentum(0.9)));
        INDArray gradient = MnistSteps.gradient(sgd, 0);
        assertTrue(MnistSteps.relativeError(MnistSteps.step(sgd, 0), gradient.mul(1.9 * 0.05)) < 1e-9);

        MultiLayerNetwork rmsProp = MnistSteps.exact(spec, config(0.05, 1, D.withOptimizer(Optimizer.RMSPROP)));
        gradient = MnistSteps.gradient(rmsProp, 0);
        INDArray denominator = Transforms.sqrt(gradient.mul(gradient).muli(0.01).addi(0.99 * 1e-8)).addi(1e-8);
        INDArray expected = gradient.mul(0.05).divi(denominator);
        assertTrue(MnistSteps.relativeError(MnistSteps.step(rmsProp, 0), expected) < 1e-9);
    }
}
