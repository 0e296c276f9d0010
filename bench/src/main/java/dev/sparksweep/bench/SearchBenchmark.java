package dev.sparksweep.bench;

import dev.sparksweep.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ASHA saves: one space over the seed's study (rnn, lstm, gru x 1-3 layers x learning rate log-uniform 3e-4 ..
 * 3e-2 x batch 32 .. 256), the same number of sampled configurations searched three ways on real MNIST: random search
 * at the full budget (the baseline), random + ASHA, and TPE + ASHA. Prints, for each, the iterations trained, the wall
 * time and the best validation accuracy found (and that trial's test accuracy), and draws the best validation accuracy
 * against iterations trained so far. Each run resumes (the sweeps are ordinary sparksweep sweeps in {@code --out}).
 *
 * <p>Then it measures what a segment costs beyond its training (Spark job, data access, checkpoints) on the ready
 * ASHA sweep, {@code conf/sweeps/seed-study-asha.conf}, at its own space, data and first rung, with fewer
 * configurations, one seed and a budget of three first rungs so that it takes minutes; and on the two ASHA searches.
 *
 * <p>Arguments: {@code --out DIR} (default bench/results/search), {@code --trials N} (24), {@code --iterations N}
 * (budget, 3000), {@code --min N} (first rung, 111), {@code --hidden N} (128), {@code --train-limit N} (0: all
 * 60,000 training images), {@code --validation-size N} (10000), {@code --test-limit N} (0: all 10,000),
 * {@code --overhead-trials N} (8; 0 skips the ready sweep), {@code --plot FILE} (docs/search-compute.png).
 */
public final class SearchBenchmark {

    private SearchBenchmark() {
    }

    private record Method(String name, String algorithm, String scheduler) {
    }

    private record Point(double compute, double best) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = IterationBenchmark.parse(args);
        Path out = Path.of(a.getOrDefault("out", "bench/results/search")).toAbsolutePath();
        int trials = Integer.parseInt(a.getOrDefault("trials", "24"));
        int budget = Integer.parseInt(a.getOrDefault("iterations", "3000"));
        int min = Integer.parseInt(a.getOrDefault("min", "111"));
        int hidden = Integer.parseInt(a.getOrDefault("hidden", "128"));
        int trainLimit = Integer.parseInt(a.getOrDefault("train-limit", "0"));
        int validation = Integer.parseInt(a.getOrDefault("validation-size", "10000"));
        int testLimit = Integer.parseInt(a.getOrDefault("test-limit", "0"));
        int overheadTrials = Integer.parseInt(a.getOrDefault("overhead-trials", "8"));
        Path plot = Path.of(a.getOrDefault("plot", "docs/search-compute.png"));
        List<Method> methods = List.of(new Method("random, full budget", "random", "fifo"),
                new Method("random + ASHA", "random", "asha"), new Method("TPE + ASHA", "tpe", "asha"));
        Files.createDirectories(out);
        Map<String, Double> wall = new LinkedHashMap<>();
        Path ready = out.resolve("ready-asha");
        if (overheadTrials > 0) {
            // The ready sweep as shipped (space, data, first rung 222), smaller: a few configurations, one seed, and
            // a budget of three first rungs (rungs 222 and 666), so every segment is a first-rung-sized one.
            long t0 = System.nanoTime();
            int exit = Main.run(new String[]{"run", "conf/sweeps/seed-study-asha.conf", "--out", ready.toString(),
                    "-Dsweep.search.trials=" + overheadTrials, "-Dsweep.search.seeds=[1]",
                    "-Dsweep.space.iterations=[666]", "-Dsparksweep.progress-interval=60s"}, System.out, System.err);
            wall.put("ready", (System.nanoTime() - t0) / 1e9);
            if (exit != 0) {
                System.exit(exit);
            }
        }
        for (Method m : methods) {
            Path file = out.resolve(m.algorithm() + "-" + m.scheduler() + ".conf");
            Files.writeString(file, """
                    sweep {
                      name = bench-%s-%s
                      search { algorithm = %s, trials = %d, seed = 0, scheduler = %s
                               asha { min-iterations = %d, reduction-factor = 3 }, tpe { startup = 8 } }
                      space {
                        family = { choice = [rnn, lstm, gru] }
                        layers = { int = [1, 3] }
                        hidden = [%d]
                        learning-rate = { log-uniform = [0.0003, 0.03] }
                        batch-size = { choice = [32, 64, 128, 256] }
                        iterations = [%d]
                        seed = [1]
                      }
                      data { validation-size = %d, train-limit = %d, test-limit = %d }
                      train { eval-every = %d, eval-batch-size = 1000 }
                    }
                    """.formatted(m.algorithm(), m.scheduler(), m.algorithm(), trials, m.scheduler(), min, hidden,
                    budget, validation, trainLimit, testLimit, min * 3));
            long t0 = System.nanoTime();
            int exit = Main.run(new String[]{"run", file.toString(), "--out", out.resolve(m.algorithm() + "-"
                    + m.scheduler()).toString(), "-Dsparksweep.progress-interval=60s"}, System.out, System.err);
            wall.put(m.name(), (System.nanoTime() - t0) / 1e9);
            if (exit != 0) {
                System.exit(exit);
            }
        }
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        System.out.printf("%-22s %7s %12s %9s %8s %10s %9s%n", "search", "trials", "iterations", "fraction",
                "wall s", "best val %", "its test %");
        double baseline = Double.NaN;
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("search-bench")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            for (Method m : methods) {
                Path results = out.resolve(m.algorithm() + "-" + m.scheduler());
                List<Row> rows = spark.read().parquet(results.resolve("leaderboard").toString())
                        .select("trial_id", "best_val_accuracy", "test_accuracy", "iterations_done", "finished_at")
                        .collectAsList();
                List<Point> curve = m.scheduler().equals("asha") ? ashaCurve(spark, results) : fifoCurve(rows);
                curves.put(m.name(), curve);
                double compute = curve.isEmpty() ? 0 : curve.get(curve.size() - 1).compute();
                if (Double.isNaN(baseline)) {
                    baseline = compute;
                }
                Row best = rows.stream().filter(r -> !r.isNullAt(1))
                        .max(Comparator.comparingDouble(r -> r.getDouble(1))).orElseThrow();
                System.out.printf("%-22s %7d %12.0f %9.3f %8.0f %10.2f %9.2f%n", m.name(), rows.size(), compute,
                        compute / baseline, wall.get(m.name()), 100 * best.getDouble(1),
                        best.isNullAt(2) ? Double.NaN : 100 * best.getDouble(2));
            }
            System.out.println();
            if (overheadTrials > 0) {
                SegmentOverhead.print("segment overhead, ready ASHA sweep (seed-study-asha.conf, first rung 222, "
                        + overheadTrials + " trials, " + Math.round(wall.get("ready")) + " s):",
                        SegmentOverhead.of(spark, ready));
            }
            for (Method m : methods) {
                if (m.scheduler().equals("asha")) {
                    SegmentOverhead.print("segment overhead, " + m.name() + ":",
                            SegmentOverhead.of(spark, out.resolve(m.algorithm() + "-" + m.scheduler())));
                }
            }
        }
        draw(curves, plot);
        System.out.println("plot: " + plot.toAbsolutePath());
    }

    /** Baseline: each trial adds its whole budget when it finishes; the best validation accuracy so far. */
    private static List<Point> fifoCurve(List<Row> rows) {
        List<Row> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparing(r -> r.<Timestamp>getAs("finished_at")));
        List<Point> curve = new ArrayList<>();
        double compute = 0;
        double best = 0;
        for (Row r : ordered) {
            compute += r.<Integer>getAs("iterations_done");
            if (!r.isNullAt(1)) {
                best = Math.max(best, r.getDouble(1));
            }
            curve.add(new Point(compute, best));
        }
        return curve;
    }

    /** ASHA: each rung record adds the iterations since the trial's previous rung; its accuracy there counts. */
    private static List<Point> ashaCurve(SparkSession spark, Path results) {
        List<Row> rungs = spark.read().parquet(results.resolve("rungs").toString())
                .select("trial_id", "rung", "iterations", "validation_accuracy", "finished_at")
                .orderBy("finished_at").collectAsList();
        Map<String, Integer> reached = new HashMap<>();
        List<Point> curve = new ArrayList<>();
        double compute = 0;
        double best = 0;
        for (Row r : rungs) {
            int iterations = r.getInt(2);
            compute += iterations - reached.getOrDefault(r.getString(0), 0);
            reached.put(r.getString(0), iterations);
            if (!r.isNullAt(3)) {
                best = Math.max(best, r.getDouble(3));
            }
            curve.add(new Point(compute, best));
        }
        return curve;
    }

    private static void draw(Map<String, List<Point>> curves, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520)
                .title("Best validation accuracy against compute").xAxisTitle("iterations trained (all trials)")
                .yAxisTitle("best validation accuracy so far (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (var e : curves.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(Point::compute).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> 100 * p.best()).toArray();
            chart.addSeries(e.getKey(), x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
