package dev.sparksweep.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;

/**
 * Builds the DL4J network a {@link ModelSpec} describes, shaped like the reference notebook's PyTorch models:
 * recurrent stack over 28 steps of 28 features, last time step, optional Dense(hidden)+ReLU, softmax readout over 10
 * classes with cross-entropy, Adam unless an {@link UpdateRule} says otherwise. Weights start from PyTorch's defaults
 * (uniform within 1/sqrt(fan)), so both frameworks begin from the same distribution. The spec's dropout goes on the
 * input of recurrent layers 2 to n (see {@link ModelSpec#dropout()}).
 */
public final class NetworkFactory {

    public static final int FEATURES = 28;
    public static final int TIME_STEPS = 28;
    public static final int CLASSES = 10;

    private NetworkFactory() {
    }

    /** A freshly initialised network; the same spec, learning rate and seed always give the same weights. */
    public static MultiLayerNetwork build(ModelSpec spec, double learningRate, long seed) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        return build(spec, new Adam(learningRate), seed, DataType.FLOAT);
    }

    /** Which recurrent layers to build. */
    public enum Implementation {
        /** sparksweep's {@link FusedRecurrent} layers (the default, several times faster). */
        FUSED,
        /** DL4J's own {@code SimpleRnn} and {@code LSTM}, for comparison; GRUs are always fused (DL4J has none). */
        STOCK
    }

    /** The same network with any updater and precision (double precision and no updater for gradient checks). */
    public static MultiLayerNetwork build(ModelSpec spec, IUpdater updater, long seed, DataType dataType) {
        return build(spec, updater, seed, dataType, defaultImplementation());
    }

    /** A network that trains by {@code rule} (updater, schedule, regularization, clipping), in single precision. */
    public static MultiLayerNetwork build(ModelSpec spec, UpdateRule rule, long seed) {
        return build(spec, rule, seed, DataType.FLOAT, defaultImplementation());
    }

    /**
     * {@link Implementation#FUSED} on ND4J's CPU backend. The fused layers read and write host memory and call host
     * BLAS directly, so any other backend (CUDA) gets DL4J's own layers.
     */
    public static Implementation defaultImplementation() {
        return hostBackend() ? Implementation.FUSED : Implementation.STOCK;
    }

    private static boolean hostBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend");
    }

    /** The network with any updater, precision and layer implementation, without regularization or clipping. */
    public static MultiLayerNetwork build(ModelSpec spec, IUpdater updater, long seed, DataType dataType,
                                          Implementation implementation) {
        return build(spec, UpdateRule.of(updater), seed, dataType, implementation);
    }

    /**
     * The network {@code spec} describes, trained by {@code rule}: its updater and learning-rate schedule for every
     * parameter, its regularization on every layer's weights and biases, its gradient clipping on every layer.
     */
    public static MultiLayerNetwork build(ModelSpec spec, UpdateRule rule, long seed, DataType dataType,
                                          Implementation implementation) {
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(rule.updater());
        // Set only when used, so that a rule without clipping configures exactly the network built before it existed.
        if (rule.clipNorm() > 0) {
            // Copied into every layer's configuration, the fused recurrent layers' (and both directions') included.
            global.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(rule.clipNorm());
        }
        NeuralNetConfiguration.ListBuilder list = global.list();
        int width = spec.hidden() * (spec.bidirectional() ? 2 : 1);
        for (int i = 0; i < spec.layers(); i++) {
            boolean last = i == spec.layers() - 1;
            // PyTorch's nn.LSTM(dropout=p) drops the outputs of every layer but the last: the inputs of layers 2..n.
            double dropout = i > 0 ? spec.dropout() : 0.0;
            list.layer(recurrentLayer(spec, last, dropout, rule, implementation));
        }
        if (spec.extraFc()) {
            list.layer(regularized(new DenseLayer.Builder().nOut(spec.hidden()).activation(Activation.RELU)
                    .weightInit(pytorchLinear(width)).biasInit(0), rule).build());
            width = spec.hidden();
        }
        list.layer(regularized(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).weightInit(pytorchLinear(width)).biasInit(0), rule).build());
        list.setInputType(InputType.recurrent(FEATURES, TIME_STEPS));
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        if (spec.biasInit() == BiasInit.PYTORCH) {
            PytorchBiases.draw(network, spec, seed);
        }
        return network;
    }

    /**
     * How this JVM computes the fused layers' gate arithmetic: {@code fused-vector} with the JDK's vector API
     * ({@code --add-modules=jdk.incubator.vector}), {@code fused-scalar} without it (correct, several times slower).
     */
    public static String kernels() {
        return hostBackend() ? VectorSupport.describe() : "stock";
    }

    private static Layer recurrentLayer(ModelSpec spec, boolean last, double dropout, UpdateRule rule,
                                        Implementation implementation) {
        if (spec.family() == Family.GRU && !hostBackend()) {
            throw new IllegalArgumentException("GRU trials need ND4J's CPU backend: DL4J 1.0.0-M2.1 has no GRU "
                    + "layer and sparksweep's fused GRU works on host memory; run GRUs on CPU executors");
        }
        boolean fused = implementation == Implementation.FUSED || spec.family() == Family.GRU;
        if (fused && last && !spec.bidirectional()) {
            // The fused layer selects the last step itself, cheaper than DL4J's LastTimeStep wrapper around it.
            return regularized(withDropout(fusedLayer(spec).lastStepOnly(true), dropout), rule).build();
        }
        Layer cell = fused ? regularized(withDropout(fusedLayer(spec), dropout), rule).build()
                : switch (spec.family()) {
            case RNN -> regularized(withDropout(new SimpleRnn.Builder().nOut(spec.hidden())
                    .activation(spec.activation() == RnnActivation.RELU ? Activation.RELU : Activation.TANH)
                    .weightInit(pytorchRecurrent(spec.hidden())).biasInit(0), dropout), rule).build();
            case LSTM -> regularized(withDropout(new LSTM.Builder().nOut(spec.hidden()).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .weightInit(pytorchRecurrent(spec.hidden())).biasInit(0).forgetGateBiasInit(1.0), dropout),
                    rule).build();
            case GRU -> throw new AssertionError("GRUs are always fused");
        };
        Layer layer = spec.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, cell) : cell;
        return last ? new LastTimeStep(layer) : layer;
    }

    /**
     * The rule's regularization on the layer's weights and on its biases (DL4J keeps two lists; PyTorch's
     * {@code weight_decay} covers both). Set per layer, not network-wide: DL4J 1.0.0-M2.1 copies a network-wide
     * {@code WeightDecay} into each layer and then merges the network-wide list in again, so every layer would decay
     * twice (L1 and L2 are deduplicated, weight decay is not). Each layer gets its own copies of the lists.
     */
    private static <B extends BaseLayer.Builder<B>> B regularized(B builder, UpdateRule rule) {
        if (!rule.regularization().isEmpty()) {
            builder.regularization(new ArrayList<>(rule.regularization()));
            builder.regularizationBias(new ArrayList<>(rule.regularization()));
        }
        return builder;
    }

    /**
     * Dropout on the layer's input, in training only. DL4J's {@code dropOut} takes the probability of RETAINING a
     * unit, the complement of PyTorch's (and {@link ModelSpec#dropout()}'s); both scale kept units by 1/retain.
     */
    private static <B extends BaseRecurrentLayer.Builder<B>> B withDropout(B builder, double dropout) {
        return dropout > 0 ? builder.dropOut(1.0 - dropout) : builder;
    }

    private static FusedRecurrent.Builder fusedLayer(ModelSpec spec) {
        return new FusedRecurrent.Builder().cell(Cell.of(spec.family(), spec.activation())).nOut(spec.hidden())
                .weightInit(pytorchRecurrent(spec.hidden())).biasInit(0).forgetGateBiasInit(1.0);
    }

    private static WeightInitDistribution pytorchRecurrent(int hidden) {
        double bound = 1.0 / Math.sqrt(hidden);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }

    private static WeightInitDistribution pytorchLinear(int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return new WeightInitDistribution(new UniformDistribution(-bound, bound));
    }
}
