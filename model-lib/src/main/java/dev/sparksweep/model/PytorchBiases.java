package dev.sparksweep.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Redraws an initialised network's biases as PyTorch draws them ({@link BiasInit#PYTORCH}), whatever layer
 * implementation holds them (fused or DL4J's own, either direction of a bidirectional layer): a recurrent layer's
 * bias vector becomes the sum of two uniform draws within 1/sqrt(hidden), PyTorch's {@code b_ih + b_hh}; a dense or
 * readout bias one uniform draw within 1/sqrt(fan-in). GRU layers are left alone: they keep two bias vectors and the
 * fused layer already draws both this way. Drawn from the network's seed, so the same seed gives the same biases.
 */
final class PytorchBiases {

    /** Keeps these draws apart from any other stream seeded with the network's seed. */
    private static final long STREAM = 0x9E3779B97F4A7C15L;

    private PytorchBiases() {
    }

    /**
     * Every layer sparksweep builds (DL4J's and the fused recurrent ones, dense, readout) keys its bias {@code b};
     * a bidirectional layer prefixes each direction's keys. Not asked of the layer's initializer: DL4J 1.0.0-M2.1's
     * {@code BidirectionalParamInitializer.biasKeys} returns the weight keys.
     */
    private static boolean isBias(String key, boolean bidirectional) {
        String bias = FusedParamInitializer.BIAS;
        return key.equals(bias) || bidirectional && (key.equals(BidirectionalParamInitializer.FORWARD_PREFIX + bias)
                || key.equals(BidirectionalParamInitializer.BACKWARD_PREFIX + bias));
    }

    static void draw(MultiLayerNetwork network, ModelSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ STREAM);
        int width = spec.hidden() * (spec.bidirectional() ? 2 : 1);
        for (int i = 0; i < network.getnLayers(); i++) {
            boolean recurrent = i < spec.layers();
            if (recurrent && spec.family() == Family.GRU) {
                continue;
            }
            int fanIn = recurrent ? spec.hidden() : i == spec.layers() && spec.extraFc() ? width
                    : spec.extraFc() ? spec.hidden() : width;
            double bound = 1.0 / Math.sqrt(fanIn);
            for (Map.Entry<String, INDArray> e : network.getLayer(i).paramTable().entrySet()) {
                if (isBias(e.getKey(), recurrent && spec.bidirectional())) {
                    INDArray bias = e.getValue();
                    double[] values = new double[(int) bias.length()];
                    for (int j = 0; j < values.length; j++) {
                        values[j] = random.nextDouble(-bound, bound) + (recurrent ? random.nextDouble(-bound, bound)
                                : 0);
                    }
                    // The table's arrays are views of the network's flat parameter vector: assigning sets them.
                    bias.assign(Nd4j.createFromArray(values).reshape(bias.shape()).castTo(bias.dataType()));
                }
            }
        }
    }
}
