package dev.sparksweep.cli;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.FetchReport;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.schedule.SweepRunner;
import dev.sparksweep.schedule.SweepSummary;
import dev.sparksweep.schedule.TrialContext;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepConfigException;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.RuntimeVersions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry point of {@code ./sparksweep} and of the spark-submit jar. */
public final class Main {

    static final String USAGE = """
            sparksweep %s: hyper-parameter sweeps of recurrent MNIST classifiers (Spark + DL4J).

            Commands:
              run <sweep.conf | quick | seed-exercise2 | seed-exercise3> [--master URL] [--out DIR] [--retry S]
                  [-Dkey=value ...]
                  Expand the sweep file's search space into trials, train each one as its own Spark task, and append
                  results to the Parquet leaderboard under DIR (default: results). Trials already finished in the
                  leaderboard are skipped, so rerunning a sweep resumes it.
              leaderboard [--out DIR] [--top N] [--sweep NAME] [--sql "SELECT ..."] [--plot FILE.png]
                  Show the best trials, run a Spark SQL query over the views 'leaderboard' and 'curves', or plot
                  the best trials' learning curves.
              fetch-data [--dataset mnist|fashion-mnist] [--data-dir DIR]
                  Put the dataset's IDX files into the data folder (verified by SHA-256) if they are missing.

            'sparksweep <command> --help' explains each command.
            """;

    static final String RUN_HELP = """
            sparksweep run <sweep> [--master URL] [--out DIR] [--retry STATUS,...] [-Dkey=value ...]

              <sweep>        a HOCON sweep file, or the name of a ready sweep in conf/sweeps (quick, seed-exercise2,
                             seed-exercise3)
              --master URL   Spark master (default from conf: local[*]; under spark-submit, spark-submit's)
              --out DIR      results folder holding the leaderboard/ and curves/ tables (default: results)
              --retry S,...  also train again the trials that ended as one of these otherwise final statuses:
                             timed-out (say, after raising sweep.train.time-limit), diverged, ok. Failed trials
                             are always retried.
              -Dkey=value    override any setting, e.g. -Dsweep.space.iterations=[100,200] -Dsweep.train.threads=2
            """;

    static final String LEADERBOARD_HELP = """
            sparksweep leaderboard [--out DIR] [--top N] [--sweep NAME] [--sql "SELECT ..."] [--plot FILE.png]

              --top N        how many trials to show (default 10), best validation accuracy first
              --sweep NAME   only this sweep's trials
              --sql QUERY    run a Spark SQL query instead; the tables are the views 'leaderboard' (one row per
                             trial) and 'curves' (sweep, trial_id, iteration, loss, validation_accuracy)
              --plot FILE    also draw the top N trials' learning curves (validation accuracy and loss) as a PNG
            """;

    static final String FETCH_HELP = """
            sparksweep fetch-data [--dataset mnist|fashion-mnist] [--data-dir DIR]

              Makes sure the dataset's four IDX files are in DIR/<dataset> (default from conf:
              ~/.sparksweep/data), trying the sources in sparksweep.data.sources in order, verifying SHA-256.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the process exit code (0 ok, 1 error, 2 bad usage or configuration). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            CommandLine cl = CommandLine.parse(args, Set.of("master", "out", "top", "sql", "sweep", "dataset",
                    "data-dir", "plot", "retry"));
            return switch (cl.command()) {
                case "run" -> cl.help() ? help(out, RUN_HELP) : runSweep(cl, out);
                case "leaderboard" -> cl.help() ? help(out, LEADERBOARD_HELP) : leaderboard(cl, out);
                case "fetch-data" -> cl.help() ? help(out, FETCH_HELP) : fetchData(cl, out);
                case "help", "--help", "-h" -> help(out, USAGE.formatted(RuntimeVersions.sparksweep()));
                default -> throw new UsageException("unknown command '" + cl.command() + "'\n\n"
                        + USAGE.formatted(RuntimeVersions.sparksweep()));
            };
        } catch (UsageException | SweepConfigException e) {
            err.println("sparksweep: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("sparksweep: " + e.getMessage());
            return 1;
        }
    }

    private static int help(PrintStream out, String text) {
        out.print(text);
        return 0;
    }

    private static int runSweep(CommandLine cl, PrintStream out) {
        if (cl.positional().size() != 1) {
            throw new UsageException("run takes one sweep file or name\n\n" + RUN_HELP);
        }
        SweepConfig config = SweepConfig.load(cl.positional().get(0), cl.overrides());
        SweepDefinition sweep = config.sweep();
        RuntimeSettings runtime = runtime(config, cl);
        DatasetName dataset = sweep.data().dataset();
        // Ids are fixed before any data moves: they use the manifest's checksum, which needs no files.
        List<Trial> trials = SpaceExpander.expand(sweep, DatasetManifest.of(dataset).checksum());
        out.printf("sweep '%s' from %s: %d trials on %s%n", sweep.name(), sweep.source(), trials.size(),
                dataset.id());
        if (runtime.master().startsWith("local")) {
            // In local mode the executors are this JVM: make sure the data is there before trials start.
            DataFetcher.ensure(dataset, runtime.dataDir(), runtime.parsedSourcesFor(dataset), out::println);
        }
        try (SparkSession spark = SparkSessions.create("sparksweep " + sweep.name(), runtime,
                cl.option("master").isPresent(), sweep.threadsPerTrial())) {
            LeaderboardStore store = new LeaderboardStore(spark, runtime.output().toString());
            TrialContext context = new TrialContext(runtime.dataDir().toAbsolutePath().toString(),
                    runtime.sourcesFor(dataset), spark.version(), sweep.timeLimit().toSeconds(), runtime.nvidiaSmi());
            SweepSummary summary = new SweepRunner(spark, store, out, runtime.progressInterval())
                    .run(sweep.name(), trials, context, retry(cl));
            out.printf("sweep '%s' done in %.1fs: %d trained (%d not ok), %d skipped as already finished%n",
                    summary.sweep(), summary.wallSeconds(), summary.trained(), summary.notOk(), summary.skipped());
            out.println("leaderboard: " + store.leaderboardPath());
            store.registerViews();
            showTop(spark, out, sweep.name(), 10);
        }
        return 0;
    }

    private static Set<String> retry(CommandLine cl) {
        Set<String> statuses = new java.util.LinkedHashSet<>();
        for (String s : cl.option("retry").orElse("").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            String status = s.strip();
            if (!LeaderboardStore.FINISHED_STATUSES.contains(status)) {
                throw new UsageException("--retry takes statuses among " + LeaderboardStore.FINISHED_STATUSES
                        + " (failed trials are always retried), not '" + status + "'");
            }
            statuses.add(status);
        }
        return statuses;
    }

    private static int leaderboard(CommandLine cl, PrintStream out) {
        SweepConfig config = SweepConfig.load(null, cl.overrides());
        RuntimeSettings runtime = runtime(config, cl);
        try (SparkSession spark = SparkSessions.create("sparksweep leaderboard", runtime,
                cl.option("master").isPresent(), 1)) {
            LeaderboardStore store = new LeaderboardStore(spark, runtime.output().toString());
            store.registerViews();
            if (cl.option("sql").isPresent()) {
                Dataset<Row> result;
                try {
                    result = spark.sql(cl.option("sql").get());
                } catch (Exception e) {
                    throw new UsageException("query failed: " + e.getMessage());
                }
                out.print(Tables.format(result, cl.intOption("top", 1000)));
            } else {
                showTop(spark, out, cl.option("sweep").orElse(null), cl.intOption("top", 10));
            }
            if (cl.option("plot").isPresent()) {
                Path file = Path.of(cl.option("plot").get());
                int plotted = plotCurves(spark, file, cl.option("sweep").orElse(null), cl.intOption("top", 10));
                out.println("plotted the learning curves of " + plotted + " trial(s) to " + file.toAbsolutePath());
            }
        }
        return 0;
    }

    private static int fetchData(CommandLine cl, PrintStream out) {
        SweepConfig config = SweepConfig.load(null, cl.overrides());
        RuntimeSettings runtime = config.runtime();
        Path dataDir = cl.option("data-dir").map(Path::of).orElse(runtime.dataDir());
        DatasetName dataset = DatasetName.parse(cl.option("dataset").orElse("mnist"));
        FetchReport report = DataFetcher.ensure(dataset, dataDir, runtime.parsedSourcesFor(dataset), out::println);
        if (!report.alreadyPresent()) {
            out.println(report.dataset().id() + ": fetched into " + report.dir() + " from " + report.source());
        }
        return 0;
    }

    private static RuntimeSettings runtime(SweepConfig config, CommandLine cl) {
        RuntimeSettings runtime = config.runtime();
        if (cl.option("out").isPresent()) {
            runtime = runtime.withOutput(Path.of(cl.option("out").get()));
        }
        if (cl.option("master").isPresent()) {
            runtime = runtime.withMaster(cl.option("master").get());
        }
        return runtime;
    }

    /** Draws the curves of the best {@code top} ok trials; returns how many were drawn. */
    static int plotCurves(SparkSession spark, Path file, String sweep, int top) {
        String where = "status = 'ok'" + (sweep == null ? "" : " AND sweep = '" + sweep.replace("'", "''") + "'");
        List<Row> best = spark.sql("""
                SELECT sweep, trial_id, model, learning_rate, batch_size, iterations, seed,
                       coalesce(best_val_accuracy, test_accuracy) AS score, append_id
                FROM leaderboard WHERE %s ORDER BY score DESC LIMIT %d""".formatted(where, top)).collectAsList();
        List<CurvePlot.Series> series = new ArrayList<>();
        boolean anyValidation = false;
        for (Row trial : best) {
            List<Row> points = spark.sql("""
                    SELECT iteration, coalesce(validation_accuracy, test_accuracy), loss,
                           validation_accuracy IS NOT NULL FROM curves
                    WHERE sweep = '%s' AND trial_id = '%s' %s ORDER BY iteration""".formatted(
                    trial.getString(0).replace("'", "''"), trial.getString(1),
                    // A trial trained twice (--retry) has two curves: plot the one of this row.
                    trial.isNullAt(8) ? "" : "AND append_id = '" + trial.getString(8) + "'")).collectAsList();
            double[] it = new double[points.size()];
            double[] acc = new double[points.size()];
            double[] loss = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                Row p = points.get(i);
                it[i] = p.getInt(0);
                acc[i] = p.isNullAt(1) ? Double.NaN : p.getDouble(1);
                loss[i] = p.isNullAt(2) ? Double.NaN : p.getDouble(2);
                anyValidation |= p.getBoolean(3);
            }
            series.add(new CurvePlot.Series(String.format("%s  %s lr=%s batch=%d iters=%d seed=%d  (%.2f%%)",
                    trial.getString(1), trial.getString(2), trial.get(3), trial.getInt(4), trial.getInt(5),
                    trial.getLong(6), 100 * trial.getDouble(7)), it, acc, loss));
        }
        if (series.isEmpty()) {
            throw new UsageException("no finished trials to plot" + (sweep == null ? "" : " in sweep '" + sweep + "'"));
        }
        CurvePlot.write(file, "sparksweep learning curves" + (sweep == null ? "" : ": " + sweep),
                anyValidation ? "validation accuracy (%)" : "test accuracy (%)", series);
        return series.size();
    }

    static void showTop(SparkSession spark, PrintStream out, String sweep, int top) {
        String where = "status = 'ok'" + (sweep == null ? "" : " AND sweep = '" + sweep.replace("'", "''") + "'");
        Dataset<Row> best = spark.sql("""
                SELECT trial_id, sweep, model, learning_rate AS lr, batch_size AS batch, iterations AS iters, seed,
                       round(100 * best_val_accuracy, 2) AS val_pct, round(100 * test_accuracy, 2) AS test_pct,
                       param_count AS params, round(iterations_per_second, 1) AS it_per_s,
                       round(wall_seconds, 1) AS wall_s
                FROM leaderboard WHERE %s
                ORDER BY coalesce(best_val_accuracy, test_accuracy) DESC, test_accuracy DESC
                LIMIT %d""".formatted(where, top));
        long notOk = spark.sql("SELECT count(*) FROM leaderboard WHERE status <> 'ok'"
                + (sweep == null ? "" : " AND sweep = '" + sweep.replace("'", "''") + "'")).first().getLong(0);
        out.println("top " + top + " trials" + (sweep == null ? "" : " of sweep '" + sweep + "'")
                + ", best first (validation accuracy, or test accuracy where there is no validation split):");
        out.print(Tables.format(best, top));
        if (notOk > 0) {
            out.println(notOk + " trial(s) did not finish ok; see: sparksweep leaderboard --sql \"SELECT trial_id, "
                    + "model, status, error FROM leaderboard WHERE status <> 'ok'\"");
        }
    }

}
