package dev.sparksweep.bench;

import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.Family;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.train.Batches;
import dev.sparksweep.train.RecurrentTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times one model configuration in this JVM, the way {@code torch_seed.py} times the reference: the median wall time
 * of a training iteration after warm-up, and one pass over the 10k test set. One configuration per JVM, so the
 * thread count (fixed when ND4J loads) and the peak resident memory belong to that configuration alone.
 *
 * <p>Prints one JSON line. Arguments: {@code --model rnn|lstm|gru --layers N [--activation tanh|relu] [--extra-fc]
 * [--hidden 128] [--batch 100] [--iters 60] [--warmup 10] [--threads 1] [--eval-batch 1000] [--data DIR]
 * [--impl fused|stock] [--json-out FILE]}.
 */
public final class IterationBenchmark {

    private IterationBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = parse(args);
        Family family = Family.parse(a.getOrDefault("model", "lstm"));
        int layers = Integer.parseInt(a.getOrDefault("layers", "2"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "128"));
        RnnActivation activation = family == Family.RNN ? RnnActivation.parse(a.getOrDefault("activation", "tanh"))
                : null;
        ModelSpec spec = new ModelSpec(family, layers, hidden, activation, a.containsKey("extra-fc"), false);
        int batch = Integer.parseInt(a.getOrDefault("batch", "100"));
        int iters = Integer.parseInt(a.getOrDefault("iters", "60"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        int evalBatch = Integer.parseInt(a.getOrDefault("eval-batch", "1000"));
        Path dataDir = Path.of(a.getOrDefault("data", System.getProperty("user.home") + "/.sparksweep/data"));

        // Same as a trial: RecurrentTrainer.useThreads. --nd4j-threads / --blas-threads split them for experiments.
        RecurrentTrainer.useThreads(threads);
        if (a.containsKey("nd4j-threads")) {
            int n = Integer.parseInt(a.get("nd4j-threads"));
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        }
        if (a.containsKey("blas-threads")) {
            Nd4j.factory().blas().setMaxThreads(Integer.parseInt(a.get("blas-threads")));
        }

        DatasetSplits data = DatasetCache.get(DatasetName.MNIST, dataDir, new SplitSpec(0, 0, 0, true));
        NetworkFactory.Implementation implementation = NetworkFactory.Implementation.valueOf(
                a.getOrDefault("impl", "fused").toUpperCase(java.util.Locale.ROOT));
        MultiLayerNetwork network = NetworkFactory.build(spec, new org.nd4j.linalg.learning.config.Adam(1e-3), 42,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, implementation);
        int[] order = Batches.identity(data.train().count());
        Random random = new Random(42);
        double[] ms = new double[iters];
        int position = data.train().count();
        long cpu0 = cpuNanos();
        for (int i = 0; i < iters + warmup; i++) {
            if (position + batch > data.train().count()) {
                Batches.shuffle(order, random);
                position = 0;
            }
            INDArray x = Batches.features(data.train(), order, position, position + batch);
            INDArray y = Batches.oneHotLabels(data.train(), order, position, position + batch);
            position += batch;
            long t0 = System.nanoTime();
            network.fit(x, y);
            double loss = network.score(); // forces completion
            long t1 = System.nanoTime();
            if (i >= warmup) {
                ms[i - warmup] = (t1 - t0) / 1e6;
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss became " + loss);
            }
        }
        double cpuPerIter = (cpuNanos() - cpu0) / 1e6 / (iters + warmup);
        long e0 = System.nanoTime();
        double accuracy = RecurrentTrainer.accuracy(network, data.test(), evalBatch);
        double evalSeconds = (System.nanoTime() - e0) / 1e9;

        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        String json = String.format(java.util.Locale.ROOT,
                "{\"framework\":\"dl4j-%s\",\"model\":\"%s\",\"layers\":%d,\"activation\":%s,\"extra_fc\":%s,"
                        + "\"hidden\":%d,\"batch\":%d,\"threads\":%d,\"iters\":%d,\"warmup\":%d,\"params\":%d,"
                        + "\"ms_per_iter\":%.3f,\"ms_per_iter_p10\":%.3f,\"ms_per_iter_p90\":%.3f,"
                        + "\"cpu_ms_per_iter\":%.3f,\"eval_seconds\":%.3f,\"eval_batch\":%d,\"test_accuracy\":%.4f,"
                        + "\"peak_rss_mb\":%d,\"heap_used_mb\":%d,\"backend\":\"%s\"}",
                implementation.name().toLowerCase(java.util.Locale.ROOT), family.id(), layers, activation == null ? "null" : "\"" + activation.id() + "\"", spec.extraFc(),
                hidden, batch, threads, iters, warmup, network.numParams(), median(sorted),
                sorted[(int) (0.1 * (sorted.length - 1))], sorted[(int) (0.9 * (sorted.length - 1))], cpuPerIter,
                evalSeconds, evalBatch, accuracy, peakRssMb(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                Nd4j.getBackend().getClass().getSimpleName());
        System.out.println(json);
        if (a.containsKey("json-out")) {
            Files.writeString(Path.of(a.get("json-out")), json + "\n");
        }
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Peak resident set size of this process (VmHWM), native memory included. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        List<String> list = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < list.size(); i++) {
            String k = list.get(i);
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + k);
            }
            String key = k.substring(2);
            if (key.equals("extra-fc")) {
                out.put(key, "true");
            } else {
                out.put(key, list.get(++i));
            }
        }
        return out;
    }
}
