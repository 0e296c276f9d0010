package dev.sparksweep.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our GRU must compute PyTorch's GRU equations (its gradients are checked in FusedRecurrentTest). */
class GruReferenceTest {

    @Test
    void forwardMatchesAPlainImplementationOfTheGruEquations() {
        checkForward(ModelSpec.gru(1).withHidden(6));
        checkForward(ModelSpec.gru(1).withHidden(5).withBidirectional(true));
    }

    private static void checkForward(ModelSpec spec) {
        MultiLayerNetwork network = NetworkFactory.build(spec, new NoOp(), 11, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 4, NetworkFactory.FEATURES, NetworkFactory.TIME_STEPS);
        INDArray out = network.output(input, false);

        int h = spec.hidden();
        int dirs = spec.bidirectional() ? 2 : 1;
        INDArray outW = network.getLayer(1).getParam("W");
        INDArray outB = network.getLayer(1).getParam("b");
        for (int n = 0; n < 4; n++) {
            double[] features = new double[h * dirs];
            double[] forward = run(network, dirs == 2 ? "f" : "", input, n, false, h);
            System.arraycopy(forward, 0, features, 0, h);
            if (dirs == 2) {
                // The backward pass's output at the last position has seen only the last step.
                double[] backward = run(network, "b", input, n, true, h);
                System.arraycopy(backward, 0, features, h, h);
            }
            double[] logits = new double[NetworkFactory.CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < logits.length; k++) {
                logits[k] = outB.getDouble(k);
                for (int j = 0; j < features.length; j++) {
                    logits[k] += features[j] * outW.getDouble(j, k);
                }
                max = Math.max(max, logits[k]);
            }
            double sum = 0;
            for (int k = 0; k < logits.length; k++) {
                logits[k] = Math.exp(logits[k] - max);
                sum += logits[k];
            }
            for (int k = 0; k < logits.length; k++) {
                assertEquals(logits[k] / sum, out.getDouble(n, k), 1e-9, spec.describe() + " example " + n);
            }
        }
    }

    /**
     * r = s(Wir x + bir + Whr h + bhr); z = s(Wiz x + biz + Whz h + bhz); n = tanh(Win x + bin + r(Whn h + bhn));
     * h' = (1 - z) n + z h. With {@code lastOnly} over the reversed sequence, returns the state after one step.
     */
    private static double[] run(MultiLayerNetwork network, String p, INDArray input, int example, boolean reverse,
                                int h) {
        INDArray w = network.getLayer(0).getParam(p + "W");
        INDArray rw = network.getLayer(0).getParam(p + "RW");
        INDArray b = network.getLayer(0).getParam(p + "b");
        INDArray rb = network.getLayer(0).getParam(p + "rb");
        int steps = NetworkFactory.TIME_STEPS;
        double[] state = new double[h];
        int count = reverse ? 1 : steps;
        for (int i = 0; i < count; i++) {
            int t = reverse ? steps - 1 - i : i;
            double[] next = new double[h];
            for (int j = 0; j < h; j++) {
                double[] gx = new double[3];
                double[] gh = new double[3];
                for (int g = 0; g < 3; g++) {
                    int col = g * h + j;
                    gx[g] = b.getDouble(0, col);
                    for (int f = 0; f < NetworkFactory.FEATURES; f++) {
                        gx[g] += input.getDouble(example, f, t) * w.getDouble(f, col);
                    }
                    gh[g] = rb.getDouble(0, col);
                    for (int k = 0; k < h; k++) {
                        gh[g] += state[k] * rw.getDouble(k, col);
                    }
                }
                double r = 1 / (1 + Math.exp(-(gx[0] + gh[0])));
                double z = 1 / (1 + Math.exp(-(gx[1] + gh[1])));
                double n = Math.tanh(gx[2] + r * gh[2]);
                next[j] = (1 - z) * n + z * state[j];
            }
            state = next;
        }
        return state;
    }
}
