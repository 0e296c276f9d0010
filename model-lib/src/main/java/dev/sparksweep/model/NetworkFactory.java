package dev.sparksweep.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
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

/**
 * Builds the DL4J network a {@link ModelSpec} describes, shaped like the reference notebook's PyTorch models:
 * recurrent stack over 28 steps of 28 features, last time step, optional Dense(hidden)+ReLU, softmax readout over 10
 * classes with cross-entropy, Adam. Weights start from PyTorch's defaults (uniform within 1/sqrt(fan)), so both
 * frameworks begin from the same distribution.
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

    public static MultiLayerNetwork build(ModelSpec spec, IUpdater updater, long seed, DataType dataType,
                                          Implementation implementation) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .list();
        int width = spec.hidden() * (spec.bidirectional() ? 2 : 1);
        for (int i = 0; i < spec.layers(); i++) {
            boolean last = i == spec.layers() - 1;
            list.layer(recurrentLayer(spec, last, implementation));
        }
        if (spec.extraFc()) {
            list.layer(new DenseLayer.Builder().nOut(spec.hidden()).activation(Activation.RELU)
                    .weightInit(pytorchLinear(width)).biasInit(0).build());
            width = spec.hidden();
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).weightInit(pytorchLinear(width)).biasInit(0).build());
        list.setInputType(InputType.recurrent(FEATURES, TIME_STEPS));
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
    }

    /**
     * How this JVM computes the fused layers' gate arithmetic: {@code fused-vector} with the JDK's vector API
     * ({@code --add-modules=jdk.incubator.vector}), {@code fused-scalar} without it (correct, several times slower).
     */
    public static String kernels() {
        return hostBackend() ? VectorSupport.describe() : "stock";
    }

    private static Layer recurrentLayer(ModelSpec spec, boolean last, Implementation implementation) {
        if (spec.family() == Family.GRU && !hostBackend()) {
            throw new IllegalArgumentException("GRU trials need ND4J's CPU backend: DL4J 1.0.0-M2.1 has no GRU "
                    + "layer and sparksweep's fused GRU works on host memory; run GRUs on CPU executors");
        }
        boolean fused = implementation == Implementation.FUSED || spec.family() == Family.GRU;
        if (fused && last && !spec.bidirectional()) {
            // The fused layer selects the last step itself, cheaper than DL4J's LastTimeStep wrapper around it.
            return fusedLayer(spec).lastStepOnly(true).build();
        }
        Layer cell = fused ? fusedLayer(spec).build()
                : switch (spec.family()) {
            case RNN -> new SimpleRnn.Builder().nOut(spec.hidden())
                    .activation(spec.activation() == RnnActivation.RELU ? Activation.RELU : Activation.TANH)
                    .weightInit(pytorchRecurrent(spec.hidden())).biasInit(0).build();
            case LSTM -> new LSTM.Builder().nOut(spec.hidden()).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .weightInit(pytorchRecurrent(spec.hidden())).biasInit(0).forgetGateBiasInit(1.0).build();
            case GRU -> throw new AssertionError("GRUs are always fused");
        };
        Layer layer = spec.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, cell) : cell;
        return last ? new LastTimeStep(layer) : layer;
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
