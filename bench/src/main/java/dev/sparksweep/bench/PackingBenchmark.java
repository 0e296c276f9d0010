package dev.sparksweep.bench;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.schedule.SweepRunner;
import dev.sparksweep.schedule.SweepSummary;
import dev.sparksweep.schedule.TrialContext;
import dev.sparksweep.schedule.TrialTiming;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How well a sweep keeps the cores busy on {@code local[*]}: a small grid (three families, two seeds, short budgets)
 * runs through the real scheduler; printed are the trials' busy time over cores x wall time, the Spark and data
 * overhead per trial (its job's time minus its training time) and trials per hour. {@code --threads N} sets the
 * threads per trial (and so the trials running at once). Prints one line starting with {@code packing}.
 */
public final class PackingBenchmark {

    private PackingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = IterationBenchmark.parse(args);
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        String iterations = a.getOrDefault("iterations", "200");
        Path out = Files.createTempDirectory("sparksweep-packing");
        SweepConfig config = SweepConfig.load("quick", Map.of(
                "sweep.name", "packing-" + threads,
                "sweep.space.family", "[rnn, lstm, gru]",
                "sweep.space.activation", "[tanh]",
                "sweep.space.hidden", "[64]",
                "sweep.space.iterations", "[" + iterations + "]",
                "sweep.space.seed", "[1, 2]",
                "sweep.train.eval-every", iterations,
                "sweep.train.threads", Integer.toString(threads)));
        SweepDefinition sweep = config.sweep();
        RuntimeSettings runtime = config.runtime();
        List<Trial> trials = SpaceExpander.expand(sweep, DatasetManifest.of(sweep.data().dataset()).checksum());
        int cores = Runtime.getRuntime().availableProcessors();
        try (SparkSession spark = SparkSession.builder().master("local[*]").appName("packing")
                .config("spark.ui.enabled", "false").config("spark.task.cpus", Integer.toString(threads))
                .getOrCreate()) {
            LeaderboardStore store = new LeaderboardStore(spark, out.toString());
            TrialContext context = new TrialContext(runtime.dataDir().toAbsolutePath().toString(),
                    runtime.sourcesFor(sweep.data().dataset()), spark.version());
            SweepSummary summary = new SweepRunner(spark, store, new PrintStream(OutputStream.nullOutputStream()),
                    Duration.ofHours(1)).run(sweep.name(), trials, context);
            double busy = summary.timings().stream().mapToDouble(TrialTiming::trialSeconds).sum();
            double overhead = summary.timings().stream().mapToDouble(TrialTiming::overheadSeconds).average()
                    .orElse(0);
            double meanTrial = busy / summary.timings().size();
            double append = summary.timings().stream().mapToDouble(TrialTiming::appendSeconds).average().orElse(0);
            System.out.printf(java.util.Locale.ROOT,
                    "packing threads/trial=%d concurrent=%d: %d trials in %.1fs wall; trial busy time %.1fs = %.2f of "
                            + "%d cores x wall (x threads/trial: %.2f); Spark+data overhead per trial %.2fs = %.1f%% of "
                            + "a trial (%.1fs), leaderboard append %.2fs; %.0f trials/hour%n",
                    threads, Math.max(1, cores / threads), summary.trained(), summary.wallSeconds(), busy,
                    busy / (cores * summary.wallSeconds()), cores, busy * threads / (cores * summary.wallSeconds()),
                    overhead, 100 * overhead / meanTrial, meanTrial, append,
                    3600 * summary.trained() / summary.wallSeconds());
        }
    }
}
