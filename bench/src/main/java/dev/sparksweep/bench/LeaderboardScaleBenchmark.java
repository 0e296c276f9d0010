package dev.sparksweep.bench;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.leaderboard.Compaction;
import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.Provenance;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.model.Family;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The leaderboard at scale: synthetic but schema-true results folders of 1k, 10k and 100k trials, written the way
 * sweeps write them (one commit per trial through {@link LeaderboardStore#append}: a leaderboard row and a 6-point
 * curve, over several sweeps and the full range of hyperparameters), then, on each, the default leaderboard query
 * (top 10), a GROUP BY over configurations (the {@code configs} view), the rerun's finished-trial lookup, one more
 * append (how soon a trial's row is durable), and the driver's peak heap; before and after {@code --compact}.
 *
 * <p>Then the same rows as a Delta Lake table ({@link DeltaComparison}): appends, the same queries, OPTIMIZE.
 *
 * <p>Arguments: {@code --out DIR} (bench/results/scale), {@code --sizes 1000,10000,100000},
 * {@code --generate-only true} (write the folders and stop), {@code --delta-appends N} (20; 0 skips Delta),
 * {@code --layouts compacted} (skip the queries before compaction).
 * Folders are reused: a size already written is not written again.
 */
public final class LeaderboardScaleBenchmark {

    private LeaderboardScaleBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = IterationBenchmark.parse(args);
        Path out = Path.of(a.getOrDefault("out", "bench/results/scale")).toAbsolutePath();
        boolean generateOnly = a.containsKey("generate-only");
        int deltaAppends = Integer.parseInt(a.getOrDefault("delta-appends", "20"));
        // "compacted" alone skips querying the folder before compaction (minutes per query at 100k trials).
        List<String> layouts = a.getOrDefault("layouts", "files,compacted").equals("compacted")
                ? List.of("compacted") : List.of("files per commit", "compacted");
        List<Integer> sizes = Stream.of(a.getOrDefault("sizes", "1000,10000,100000").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        List<String> lines = new ArrayList<>();
        for (int size : sizes) {
            Path folder = out.resolve("n" + size);
            try (SparkSession spark = session()) {
                // Writing 100k commits through the checksummed local file system takes hours on this machine; the
                // raw one writes the same Parquet files without their .crc companions (which reading does not need).
                spark.sparkContext().hadoopConfiguration().set("fs.file.impl",
                        "org.apache.hadoop.fs.RawLocalFileSystem");
                spark.sparkContext().hadoopConfiguration().setBoolean("fs.file.impl.disable.cache", true);
                generate(spark, folder, size);
                spark.sparkContext().hadoopConfiguration().unset("fs.file.impl");
            }
            if (generateOnly) {
                continue;
            }
            for (String phase : layouts) {
                if (phase.equals("compacted")) {
                    try (SparkSession spark = session()) {
                        long t0 = System.nanoTime();
                        new Compaction(spark.sparkContext().hadoopConfiguration(), folder.toString(), Duration.ZERO)
                                .compact(2);
                        lines.add(String.format(Locale.ROOT, "%7d trials: compaction %.1f s", size, seconds(t0)));
                    }
                }
                try (SparkSession spark = session()) {
                    lines.add(measure(spark, folder, size, phase));
                }
            }
            if (deltaAppends > 0) {
                try (SparkSession spark = session()) {
                    lines.addAll(DeltaComparison.measure(spark, folder, out.resolve("delta-n" + size), size,
                            deltaAppends));
                }
            }
            System.out.println(String.join("\n", lines));
        }
        System.out.println();
        System.out.printf("%7s %-17s %7s %9s %9s %9s %9s %9s%n", "trials", "layout", "files", "top-10 s",
                "group s", "lookup s", "append s", "heap MB");
        lines.forEach(System.out::println);
    }

    private static SparkSession session() {
        return DeltaComparison.configure(SparkSession.builder()).master("local[2]").appName("scale-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    /** Appends trials until {@code folder} holds {@code size}, one commit each, as sweeps do. */
    private static void generate(SparkSession spark, Path folder, int size) throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, folder.toString());
        // Rows, not files: a compacted folder holds 100k trials in a few files.
        long have = Files.isDirectory(folder.resolve("leaderboard")) ? store.leaderboard().count() : 0;
        if (have >= size) {
            return;
        }
        long t0 = System.nanoTime();
        // Two writers, as two drivers appending to one folder.
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(have);
        Runnable writer = () -> {
            for (long i = next.getAndIncrement(); i < size; i = next.getAndIncrement()) {
                store.append("sweep-" + i % 10, outcome(i));
                if ((i + 1) % 10_000 == 0) {
                    System.out.printf(Locale.ROOT, "%s: %d of %d trials written, %.0f s%n", folder, i + 1, size,
                            seconds(t0));
                }
            }
        };
        Thread other = new Thread(writer);
        other.start();
        writer.run();
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String measure(SparkSession spark, Path folder, int size, String layout) {
        resetPeaks();
        LeaderboardStore store = new LeaderboardStore(spark, folder.toString());
        LeaderboardQueries queries = new LeaderboardQueries(store);
        double top = time(() -> queries.best(null, 10).collectAsList().size());
        double group = time(() -> queries.configs(null, 20).ranked().size());
        double lookup = time(() -> store.finishedTrialIds().size());
        double append = time(() -> {
            store.append("sweep-extra", outcome(System.nanoTime()));
            return 1;
        });
        return String.format(Locale.ROOT, "%7d %-17s %7d %9.2f %9.2f %9.2f %9.3f %9.0f", size, layout,
                count(folder.resolve("leaderboard")) + count(folder.resolve("curves")), top, group, lookup, append,
                peakHeapMb());
    }

    /** A trial of a realistic configuration, with a 6-point curve. */
    static TrialOutcome outcome(long i) {
        Random r = new Random(i);
        Family family = Family.values()[r.nextInt(Family.values().length)];
        ModelSpec model = new ModelSpec(family, 1 + r.nextInt(3), 64 << r.nextInt(2),
                family == Family.RNN ? RnnActivation.values()[r.nextInt(2)] : null, r.nextBoolean(), r.nextBoolean());
        TrainingConfig training = new TrainingConfig(3000, 50 << r.nextInt(3), Math.pow(10, -4 + 2 * r.nextDouble()),
                1 + r.nextInt(3), 500, 1000, 1);
        Trial trial = Trial.of(model, training, new DataSpec(DatasetName.MNIST, 10_000, 0, 0), "checksum");
        List<CurvePoint> curve = new ArrayList<>();
        for (int k = 1; k <= 6; k++) {
            curve.add(new CurvePoint(500 * k, 2.0 / k, 0.8 + 0.03 * k * r.nextDouble()));
        }
        double val = 0.9 + 0.09 * r.nextDouble();
        TrialResult result = new TrialResult(TrialStatus.OK, null, val, 3000, val, val - 0.002, 0.05, curve, 3000,
                200, 190, 15.8, 100_000, 190);
        Instant now = Instant.now();
        return new TrialOutcome(trial, result, new Provenance("0.1.0", "1.0.0-M2.1", "1.0.0-M2.1", "3.5.9",
                "cpu", "host", "driver", 0, now, now));
    }

    private static double time(Supplier<Integer> work) {
        long t0 = System.nanoTime();
        work.get();
        return seconds(t0);
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The heap's peak since {@link #resetPeaks}, summed over the heap pools (an upper bound). */
    private static double peakHeapMb() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
