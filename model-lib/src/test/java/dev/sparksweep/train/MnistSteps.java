package dev.sparksweep.train;

import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import dev.sparksweep.testdata.TestData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single training steps on consecutive mini-batches of a real MNIST slice, in double precision, so that a parameter
 * change can be compared with what an update rule should have made of the gradient to ~1e-12.
 */
final class MnistSteps {

    static final int BATCH = 20;
    private static Images images;

    private MnistSteps() {
    }

    private static synchronized Images images() {
        if (images == null) {
            images = TestData.mnist(new SplitSpec(0, 1000, 10, true)).train();
        }
        return images;
    }

    /** A trial's settings for a short run: budget {@code iterations}, seed 7. */
    static TrainingConfig config(double learningRate, int iterations, Optimization optimization) {
        return new TrainingConfig(iterations, BATCH, learningRate, 7, iterations, 100, 1)
                .withOptimization(optimization);
    }

    /** The network the trainer would build for these settings, in double precision. */
    static MultiLayerNetwork exact(ModelSpec spec, TrainingConfig config) {
        return NetworkFactory.build(spec, UpdateRules.of(config), config.seed(), DataType.DOUBLE,
                NetworkFactory.defaultImplementation());
    }

    static INDArray features(int batch, DataType type) {
        int[] order = Batches.identity(images().count());
        return Batches.features(images(), order, batch * BATCH, (batch + 1) * BATCH).castTo(type);
    }

    static INDArray labels(int batch, DataType type) {
        int[] order = Batches.identity(images().count());
        return Batches.oneHotLabels(images(), order, batch * BATCH, (batch + 1) * BATCH).castTo(type);
    }

    /**
     * The gradient of the mean loss over {@code batch} for all parameters, without changing the network. DL4J's
     * backpropagation sums over the examples; its updater divides by the batch size before clipping, regularization
     * and the update rule, so they all see this mean, as PyTorch's mean loss gives.
     */
    static INDArray gradient(MultiLayerNetwork network, int batch) {
        network.setInput(features(batch, network.params().dataType()));
        network.setLabels(labels(batch, network.params().dataType()));
        network.computeGradientAndScore();
        return network.gradient().gradient().div(BATCH);
    }

    /** Fits {@code batch} (one iteration) and returns how far that moved the parameters: before - after. */
    static INDArray step(MultiLayerNetwork network, int batch) {
        INDArray before = network.params().dup();
        network.fit(features(batch, before.dataType()), labels(batch, before.dataType()));
        return before.subi(network.params());
    }

    /** |actual - expected| / |expected| over all elements. */
    static double relativeError(INDArray actual, INDArray expected) {
        return actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }
}
