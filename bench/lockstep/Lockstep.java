import dev.sparksweep.data.IdxReader;
import dev.sparksweep.data.IdxArray;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * DL4J side of the lock-step comparison. Usage: Lockstep INIT_DIR OUT_DIR STEPS [FUSED|STOCK] [FLOAT|DOUBLE]
 * Loads PyTorch's initial parameters (written by torch_side.py), runs batch 0 forward + gradient, then STEPS
 * Adam(1e-3) fits on batches k = images 100k..100k+99 of the training set (identity order). Writes everything in
 * PyTorch's layout as little-endian doubles.
 */
public class Lockstep {
    static final int H = 128;
    /** DL4J gate block k (a=g, f, o, i) comes from PyTorch block PERM[k] (PyTorch order i, f, g, o). */
    static final int[] PERM = {2, 1, 3, 0};
    static final Set<Integer> CHECK = Set.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000);
    static float[][] images;
    static int[] labels;
    static DataType type;

    public static void main(String[] a) throws Exception {
        Path init = Path.of(a[0]);
        Path out = Path.of(a[1]);
        int steps = Integer.parseInt(a[2]);
        NetworkFactory.Implementation impl = NetworkFactory.Implementation.valueOf(a.length > 3 ? a[3] : "FUSED");
        type = DataType.valueOf(a.length > 4 ? a[4] : "FLOAT");
        loadMnist(Path.of(System.getProperty("mnist", System.getProperty("user.home") + "/.sparksweep/data/mnist")), Math.max(steps, 1) * 100);
        MultiLayerNetwork net = NetworkFactory.build(ModelSpec.lstm(2), new Adam(1e-3), 0, type, impl);
        double biasLr = Double.parseDouble(System.getProperty("biasLrFactor", "1"));
        if (biasLr != 1) {
            for (int l = 0; l < 2; l++) {
                ((org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayerWiseConfigurations().getConf(l).getLayer())
                        .setBiasUpdater(new Adam(1e-3 * biasLr));
            }
        }
        System.out.println("layer0 b updater " + net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("b"));
        System.out.println("kernels " + NetworkFactory.kernels() + " impl " + impl + " " + type);
        System.out.println(net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"));
        for (int l = 0; l < 3; l++) {
            System.out.println("layer " + l + " " + net.getLayer(l).getClass().getSimpleName() + " "
                    + shapes(net.getLayer(l)));
        }
        for (int l = 0; l < 2; l++) {
            Layer layer = net.getLayer(l);
            int nIn = l == 0 ? 28 : H;
            layer.getParam("W").assign(toDl4j(read(init, "lstm.weight_ih_l" + l), nIn));
            layer.getParam("RW").assign(toDl4j(read(init, "lstm.weight_hh_l" + l), H));
            double[] bi = read(init, "lstm.bias_ih_l" + l), bh = read(init, "lstm.bias_hh_l" + l);
            double[] b = new double[bi.length];
            for (int i = 0; i < b.length; i++) b[i] = bi[i] + bh[i];
            layer.getParam("b").assign(toDl4j(b, 1));
        }
        double[] fw = read(init, "fc.weight");
        INDArray w = Nd4j.create(type, H, 10);
        for (int c = 0; c < 10; c++) for (int j = 0; j < H; j++) w.putScalar(j, c, fw[c * H + j]);
        net.getLayer(2).getParam("W").assign(w);
        net.getLayer(2).getParam("b").assign(Nd4j.createFromArray(read(init, "fc.bias")).castTo(type));

        // forward on batch 0
        INDArray x = features(0), y = oneHot(0);
        INDArray probs = net.output(x, false);
        write(out.resolve("fwd"), "probs", probs.castTo(DataType.DOUBLE).reshape(1000).toDoubleVector());
        // gradient of batch 0
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        System.out.printf("batch0 score %.9f%n", net.score());
        Files.createDirectories(out);
        Files.writeString(out.resolve("score0.txt"), Double.toString(net.score()));
        for (int l = 0; l < 3; l++) {
            for (String key : net.getLayer(l).paramTable().keySet()) {
                INDArray g = net.gradient().getGradientFor(l + "_" + key);
                writeParam(out.resolve("grad"), l, key, g);
            }
        }
        // training
        double[] losses = new double[steps];
        long t0 = System.nanoTime();
        for (int k = 0; k < steps; k++) {
            net.fit(features(k), oneHot(k));
            losses[k] = net.score();
            if (CHECK.contains(k + 1)) {
                for (int l = 0; l < 3; l++) {
                    for (String key : net.getLayer(l).paramTable().keySet()) {
                        writeParam(out.resolve("step" + (k + 1)), l, key, net.getLayer(l).getParam(key));
                    }
                }
            }
        }
        System.out.printf("%d steps in %.1f s; loss first %.6f last %.6f%n", steps, (System.nanoTime() - t0) / 1e9,
                steps > 0 ? losses[0] : Double.NaN, steps > 0 ? losses[steps - 1] : Double.NaN);
        write(out, "losses", losses);
        System.out.println("iterationCount " + net.getIterationCount() + " epochCount " + net.getEpochCount());
    }

    static String shapes(Layer layer) {
        StringBuilder s = new StringBuilder();
        layer.paramTable().forEach((k, v) -> s.append(k).append(java.util.Arrays.toString(v.shape())).append(' '));
        return s.toString();
    }

    /** PyTorch [4h, n] (blocks i f g o) -> DL4J [n, 4h] (blocks g f o i). */
    static INDArray toDl4j(double[] pt, int n) {
        INDArray m = Nd4j.create(DataType.DOUBLE, n, 4 * H);
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < H; j++)
                for (int r = 0; r < n; r++)
                    m.putScalar(r, k * H + j, pt[(PERM[k] * H + j) * n + r]);
        return m.castTo(type);
    }

    /** DL4J [n, 4h] -> PyTorch [4h, n] flattened row-major. */
    static double[] toPt(INDArray m) {
        int n = (int) m.size(0);
        double[] pt = new double[4 * H * n];
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < H; j++)
                for (int r = 0; r < n; r++)
                    pt[(PERM[k] * H + j) * n + r] = m.getDouble(r, k * H + j);
        return pt;
    }

    static void writeParam(Path dir, int l, String key, INDArray v) throws IOException {
        if (l < 2) {
            String name = switch (key) {
                case "W" -> "lstm.weight_ih_l" + l;
                case "RW" -> "lstm.weight_hh_l" + l;
                case "b" -> "lstm.bias_l" + l;
                default -> throw new IllegalStateException(key);
            };
            write(dir, name, toPt(v.rank() == 1 ? v.reshape(1, v.length()) : v));
        } else if (key.equals("W")) {
            double[] fw = new double[10 * H];
            for (int c = 0; c < 10; c++) for (int j = 0; j < H; j++) fw[c * H + j] = v.getDouble(j, c);
            write(dir, "fc.weight", fw);
        } else {
            write(dir, "fc.bias", v.castTo(DataType.DOUBLE).reshape(10).toDoubleVector());
        }
    }

    static double[] read(Path dir, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".bin"))).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.capacity() / 8];
        b.asDoubleBuffer().get(d);
        return d;
    }

    static void write(Path dir, String name, double[] d) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer b = ByteBuffer.allocate(d.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(d);
        Files.write(dir.resolve(name + ".bin"), b.array());
    }

    static void loadMnist(Path dir, int n) {
        IdxArray img = IdxReader.read(dir.resolve("train-images-idx3-ubyte"));
        IdxArray lab = IdxReader.read(dir.resolve("train-labels-idx1-ubyte"));
        images = new float[n][784];
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) images[i][p] = img.unsigned(i * 784 + p) / 255f;
            labels[i] = lab.unsigned(i);
        }
    }

    /** [100, 28 features, 28 time], as Batches.features: out[b, f, t] = pixel(row t, col f). */
    static INDArray features(int k) {
        float[] out = new float[100 * 784];
        for (int b = 0; b < 100; b++)
            for (int t = 0; t < 28; t++)
                for (int f = 0; f < 28; f++)
                    out[b * 784 + f * 28 + t] = images[100 * k + b][t * 28 + f];
        return Nd4j.create(out, new long[]{100, 28, 28}, 'c').castTo(type);
    }

    static INDArray oneHot(int k) {
        float[] out = new float[1000];
        for (int b = 0; b < 100; b++) out[b * 10 + labels[100 * k + b]] = 1f;
        return Nd4j.create(out, new long[]{100, 10}, 'c').castTo(type);
    }
}
