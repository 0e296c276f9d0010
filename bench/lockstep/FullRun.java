import dev.sparksweep.data.IdxArray;
import dev.sparksweep.data.IdxReader;
import dev.sparksweep.data.Images;
import dev.sparksweep.model.BiasInit;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import dev.sparksweep.train.Batches;
import dev.sparksweep.train.RecurrentTrainer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Path;
import java.util.Random;

/**
 * Usage: FullRun SEED ITERS BIAS_LR_FACTOR [dl4j|pytorch]. The sparksweep pipeline as TrainingRun runs it (all 60,000
 * training images, Random(seed) Fisher-Yates shuffle per epoch, batch 100, Adam 1e-3, fused LSTM-2, FLOAT), with the
 * recurrent layers' bias learning rate multiplied by BIAS_LR_FACTOR (2 = PyTorch's b_ih + b_hh). Prints test accuracy.
 */
public class FullRun {
    public static void main(String[] a) {
        long seed = Long.parseLong(a[0]);
        int iters = Integer.parseInt(a[1]);
        double factor = Double.parseDouble(a[2]);
        BiasInit bi = a.length > 3 && a[3].equals("pytorch") ? BiasInit.PYTORCH : BiasInit.DL4J;
        RecurrentTrainer.useThreads(1);
        Path dir = Path.of(System.getProperty("mnist", System.getProperty("user.home") + "/.sparksweep/data/mnist"));
        Images train = load(dir, "train"), test = load(dir, "t10k");
        ModelSpec spec = ModelSpec.lstm(2).withBiasInit(bi);
        MultiLayerNetwork net = NetworkFactory.build(spec, new Adam(1e-3), seed, DataType.FLOAT,
                NetworkFactory.Implementation.FUSED);
        if (factor != 1) {
            for (int l = 0; l < 2; l++) {
                ((BaseLayer) net.getLayerWiseConfigurations().getConf(l).getLayer()).setBiasUpdater(new Adam(1e-3 * factor));
            }
        }
        System.out.println("seed " + seed + " factor " + factor + " biasInit " + bi + " b updater "
                + net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("b"));
        Random shuffle = new Random(seed);
        int[] order = Batches.identity(train.count());
        Batches.shuffle(order, shuffle);
        int position = 0;
        long t0 = System.nanoTime();
        double window = 0;
        for (int it = 1; it <= iters; it++) {
            if (position >= train.count()) {
                Batches.shuffle(order, shuffle);
                position = 0;
            }
            int end = Math.min(position + 100, train.count());
            net.fit(Batches.features(train, order, position, end), Batches.oneHotLabels(train, order, position, end));
            position = end;
            window += net.score();
            if (it % 500 == 0) {
                System.out.printf("it %d mean loss %.5f  %.0f s%n", it, window / 500, (System.nanoTime() - t0) / 1e9);
                window = 0;
            }
        }
        double acc = RecurrentTrainer.accuracy(net, test, 100);
        System.out.printf("RESULT seed %d factor %.1f biasInit %s iters %d test accuracy %.2f%%%n", seed, factor, bi, iters, 100 * acc);
    }

    static Images load(Path dir, String prefix) {
        IdxArray img = IdxReader.read(dir.resolve(prefix + "-images-idx3-ubyte"));
        IdxArray lab = IdxReader.read(dir.resolve(prefix + "-labels-idx1-ubyte"));
        return new Images(img.dims()[0], 28, 28, img.data(), lab.data());
    }
}
