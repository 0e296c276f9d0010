package dev.sparksweep.saved;

import dev.sparksweep.data.Images;
import dev.sparksweep.train.Batches;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * A network's answer for one image: the most probable class and its probability (the softmax output).
 *
 * @param probabilities every class's probability, summing to 1
 */
public record Prediction(int label, double probability, double[] probabilities) {

    /** The network's predictions for every image of {@code images}, in order, {@code batchSize} at a time. */
    public static List<Prediction> of(MultiLayerNetwork network, Images images, int batchSize) {
        List<Prediction> out = new ArrayList<>(images.count());
        int[] order = Batches.identity(images.count());
        for (int from = 0; from < images.count(); from += batchSize) {
            int to = Math.min(from + batchSize, images.count());
            INDArray output = network.output(Batches.features(images, order, from, to), false);
            for (int i = 0; i < to - from; i++) {
                double[] p = output.getRow(i).toDoubleVector();
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                out.add(new Prediction(best, p[best], p));
            }
        }
        return out;
    }
}
