package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ReadOnlySql;
import dev.sparksweep.leaderboard.ResultsException;
import dev.sparksweep.leaderboard.Compaction;
import dev.sparksweep.leaderboard.ResultsFolder;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SweepConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code sparksweep leaderboard}: reads the results and never changes them, except {@code --quarantine}, which only
 * moves damaged files aside.
 */
@Command(name = "leaderboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the best trials, run a read-only Spark SQL query over the views 'leaderboard' and"
                + " 'curves', plot the best trials' learning curves, or check the tables' files."})
final class LeaderboardCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder to read (default: sparksweep.output,"
            + " results).")
    private Path out;

    @Option(names = "--top", paramLabel = "N", description = "How many trials to show (default 10; 1000 rows for"
            + " --sql), best validation accuracy first.")
    private Integer top;

    @Option(names = "--sweep", paramLabel = "NAME", description = "Only this sweep's trials (those it trained, and those"
            + " it shares with a sweep that trained them first).")
    private String sweep;

    @Option(names = "--by", paramLabel = "trial|config", defaultValue = "trial", description = "Rank single trials"
            + " (default) or configurations over their seeds: mean +- 95 %% confidence interval (Student t), and"
            + " whether each differs significantly from the best (Welch's t-test, 5 %%).")
    private String by;

    @Option(names = "--sql", paramLabel = "QUERY", description = "Run a query instead (SELECT, WITH, VALUES, DESCRIBE,"
            + " SHOW, EXPLAIN; nothing that writes). Views: 'trials' (one row per trial: its latest attempt, as the"
            + " rankings count), 'leaderboard' (every attempt: a retried trial has a row per attempt), 'configs'"
            + " (statistics over seeds), 'curves' (sweep, trial_id, iteration, loss, validation_accuracy,"
            + " test_accuracy, append_id: every attempt's points), 'rungs', 'models', 'members'.")
    private String sql;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the top N trials' learning curves"
            + " (accuracy and loss) as a PNG.")
    private Path plot;

    @Option(names = "--check", description = "Read every file of both tables whole and list the damaged ones (exit"
            + " code 1 if there are any).")
    private boolean check;

    @Option(names = "--quarantine", description = "Move damaged files (and the curve of a damaged row) to"
            + " <out>/_quarantine/, never deleting one, so the tables read again; the next run retrains the trials"
            + " whose rows were lost.")
    private boolean quarantine;

    @Option(names = "--compact", description = "Rewrite each table's small files (one per finished trial) into one"
            + " file; readers and running sweeps see every row exactly once meanwhile. Runs also do it by themselves"
            + " past sparksweep.results.compact-above files.")
    private boolean compact;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        if ((check || quarantine) && (sql != null || plot != null)) {
            throw new UsageException("--check and --quarantine go alone, without --sql or --plot");
        }
        if (top != null && top < 1) {
            throw new UsageException("--top needs a positive whole number, got " + top);
        }
        RuntimeSettings runtime = SweepConfig.load(null, shared.overrides).runtime();
        String dir = (out != null ? out : runtime.output()).toString();
        try (SparkSession spark = SparkSessions.create("sparksweep leaderboard", runtime, false, 1)) {
            ResultsFolder folder = new ResultsFolder(spark.sparkContext().hadoopConfiguration(), dir);
            folder.requireResults();
            if (check || quarantine) {
                return quarantine ? quarantine(folder) : check(folder);
            }
            if (compact) {
                for (Compaction.Result r : new Compaction(spark.sparkContext().hadoopConfiguration(), dir,
                        COMPACTION_GRACE).compact(2)) {
                    main.out.printf("%-11s %6d -> %d file(s)%s%n", r.table(), r.filesBefore(), r.filesAfter(),
                            (r.rows() > 0 ? ", " + r.rows() + " rows rewritten" : "")
                                    + (r.deleted() > 0 ? ", " + r.deleted() + " replaced file(s) deleted" : ""));
                }
                return 0;
            }
            LeaderboardStore store = new LeaderboardStore(spark, dir);
            LeaderboardQueries queries = new LeaderboardQueries(store);
            if (sql != null) {
                store.registerViews();
                Dataset<Row> result = new ReadOnlySql(spark).query(sql);
                main.out.print(ResultsException.reading(() -> Tables.format(result, top == null ? 1000 : top)));
            } else if (by.equals("config")) {
                int shown = top == null ? 20 : top;
                main.out.print(ConfigTable.format(queries.configs(sweep, shown), shown));
            } else if (by.equals("trial")) {
                showTop(queries, main.out, sweep, top == null ? 10 : top);
            } else {
                throw new UsageException("--by takes trial or config, not '" + by + "'");
            }
            if (plot != null) {
                int plotted = plotCurves(queries, plot, sweep, top == null ? 10 : top);
                main.out.println("plotted the learning curves of " + plotted + " trial(s) to " + plot.toAbsolutePath());
            }
        }
        return 0;
    }

    /** How long files a compaction replaced stay for readers that listed a table before it: longer than any read. */
    static final java.time.Duration COMPACTION_GRACE = java.time.Duration.ofMinutes(10);

    private int check(ResultsFolder folder) {
        var damaged = folder.damaged();
        damaged.forEach(d -> main.out.println("damaged: " + d.path() + ": " + d.problem()));
        main.out.println(damaged.isEmpty() ? "every file of the results tables reads whole"
                : damaged.size() + " damaged file(s); 'sparksweep leaderboard --quarantine' moves them aside");
        return damaged.isEmpty() ? 0 : ErrorReport.RUNTIME;
    }

    private int quarantine(ResultsFolder folder) {
        List<String> moved = folder.quarantine();
        moved.forEach(m -> main.out.println("moved " + m));
        main.out.println(moved.isEmpty() ? "no damaged files" : moved.size() + " file(s) moved aside; the next run"
                + " retrains the trials whose rows they held");
        return 0;
    }

    static void showTop(LeaderboardQueries queries, PrintStream out, String sweep, int top) {
        String table = ResultsException.reading(() -> Tables.format(queries.best(sweep, top), top));
        Map<String, Long> notOk = queries.notOkByStatus(sweep);
        out.println("top " + top + " trials" + (sweep == null ? "" : " of sweep '" + sweep + "'")
                + ", best first (validation accuracy, or test accuracy where there is no validation split):");
        out.print(table);
        if (!notOk.isEmpty()) {
            // A trial ASHA stopped early is the search working, not a fault: said apart from the failures.
            String counts = notOk.entrySet().stream().map(e -> e.getValue() + " " + (e.getKey().equals("stopped")
                    ? "stopped early by ASHA" : e.getKey())).collect(Collectors.joining(", "));
            out.println("not in this list (it ranks the trials that finished ok): " + counts + "; see: sparksweep"
                    + " leaderboard --sql \"SELECT trial_id, model, status, error FROM leaderboard WHERE status <> 'ok'\"");
        }
    }

    /** Draws the curves of the best {@code top} ok trials; returns how many were drawn. */
    static int plotCurves(LeaderboardQueries queries, Path file, String sweep, int top) {
        List<Row> best = ResultsException.reading(() -> queries.ranked(sweep).limit(top).collectAsList());
        List<CurvePlot.Series> series = new ArrayList<>();
        boolean anyValidation = false;
        for (Row trial : best) {
            // A trial trained twice (--retry) has two curves: plot the one of this row.
            List<Row> points = queries.curve(trial.getAs("sweep"), trial.getAs("trial_id"), trial.getAs("append_id"));
            double[] it = new double[points.size()];
            double[] acc = new double[points.size()];
            double[] loss = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                Row p = points.get(i);
                it[i] = p.<Integer>getAs("iteration");
                Double validation = p.getAs("validation_accuracy");
                Double test = p.getAs("test_accuracy");
                anyValidation |= validation != null;
                acc[i] = validation != null ? validation : test != null ? test : Double.NaN;
                Double l = p.getAs("loss");
                loss[i] = l == null ? Double.NaN : l;
            }
            Double score = trial.getAs("best_val_accuracy");
            if (score == null) {
                score = trial.getAs("test_accuracy");
            }
            series.add(new CurvePlot.Series(String.format("%s  %s lr=%s batch=%d iters=%d seed=%d  (%.2f%%)",
                    trial.<String>getAs("trial_id"), trial.<String>getAs("model"), trial.getAs("learning_rate"),
                    trial.<Integer>getAs("batch_size"), trial.<Integer>getAs("iterations"), trial.<Long>getAs("seed"),
                    score == null ? Double.NaN : 100 * score), it, acc, loss));
        }
        if (series.isEmpty()) {
            throw new UsageException("no finished trials to plot" + (sweep == null ? "" : " in sweep '" + sweep + "'"));
        }
        CurvePlot.write(file, "sparksweep learning curves" + (sweep == null ? "" : ": " + sweep),
                anyValidation ? "validation accuracy (%)" : "test accuracy (%)", series);
        return series.size();
    }
}
