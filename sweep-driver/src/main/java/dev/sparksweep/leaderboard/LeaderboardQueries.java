package dev.sparksweep.leaderboard;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The read-only questions the command line asks of the results, in one place: which trials rank best (validation
 * accuracy, or test accuracy where a sweep has no validation split), how many did not finish ok, and a trial's curve.
 * Built with the DataFrame API, so a sweep name is a value, never spliced into SQL text.
 */
public final class LeaderboardQueries {

    /** The ranking score: best validation accuracy, else test accuracy. */
    public static final Column SCORE = coalesce(col("best_val_accuracy"), col("test_accuracy"));

    /** Up to this many retried trials are picked out by id; past it, every row is ranked by time. */
    private static final int FEW_RETRIED = 1000;

    private final LeaderboardStore store;

    public LeaderboardQueries(LeaderboardStore store) {
        this.store = store;
    }

    /** The ok trials, of one sweep or all ({@code sweep} null), best first. */
    public Dataset<Row> ranked(String sweep) {
        return ofSweep(store, sweep).filter(col("status").equalTo("ok"))
                .orderBy(SCORE.desc_nulls_last(), col("test_accuracy").desc_nulls_last(), col("trial_id"));
    }

    /** The {@code top} best trials, with the columns people compare. */
    public Dataset<Row> best(String sweep, int top) {
        return ranked(sweep).select(col("trial_id"), col("sweep"), col("model"), col("learning_rate").as("lr"),
                col("batch_size").as("batch"), col("iterations").as("iters"), col("seed"),
                round(col("best_val_accuracy").multiply(100), 2).as("val_pct"),
                round(col("test_accuracy").multiply(100), 2).as("test_pct"), col("param_count").as("params"),
                round(col("iterations_per_second"), 1).as("it_per_s"), round(col("wall_seconds"), 1).as("wall_s"))
                .limit(top);
    }

    /**
     * The best {@code top} configurations of the {@code configs} view of one sweep or all ({@code sweep} null), each
     * compared with the best. They are ranked by Spark and only the page shown reaches the driver, so a results folder
     * of 100,000 configurations costs the driver {@code top} rows, not the whole view.
     */
    public RankedConfigs configs(String sweep, int top) {
        // One pass ranks the fixed-size summary and counts it; a second computes the per-seed lists (Welch's test
        // needs them) for the page only. (Caching the rows between the two passes measured slower than reading them
        // twice.) Validation first: when no configuration has a validation accuracy, the order falls through to test
        // accuracy, which is what ConfigRanking ranks by then.
        Dataset<Row> rows = ConfigStatistics.withConfigIds(ofSweep(store, sweep));
        List<Row> best = ResultsException.reading(() -> ConfigStatistics.summary(rows)
                .select(col("config_id"), col("val_mean"), col("test_mean"), count(lit(1)).over().as("total"),
                        sum(when(col("val_mean").isNotNull(), 1).otherwise(0)).over().as("with_val"),
                        sum(when(col("test_mean").isNotNull(), 1).otherwise(0)).over().as("with_test"),
                        sum(when(col("val_mean").isNull().and(col("test_mean").isNotNull()), 1).otherwise(0)).over()
                                .as("test_only"),
                        sum(when(col("n").geq(2), 1).otherwise(0)).over().as("replicated"),
                        sum(when(col("n").geq(2).and(col("val_mean").isNotNull()), 1).otherwise(0)).over()
                                .as("replicated_val"))
                .orderBy(col("val_mean").desc_nulls_last(), col("test_mean").desc_nulls_last(), col("config_id"))
                .limit(top).collectAsList());
        if (best.isEmpty()) {
            return new RankedConfigs(List.of(), 0, 0, 0);
        }
        Object[] ids = best.stream().map(r -> r.getAs("config_id")).toArray();
        List<Row> page = ResultsException.reading(() -> ConfigStatistics.identifiedConfigs(rows.filter(
                col("config_id").isin(ids))).collectAsList());
        // As ConfigRanking ranks: by validation accuracy when any configuration has one, else by test accuracy. The
        // configurations of a sweep that held out no validation data then cannot be ranked with the others.
        Row first = best.get(0);
        long withVal = first.<Long>getAs("with_val");
        // The best to compare with has two seeds or more; when none on the page has, one below it may.
        boolean replicatedBelow = first.<Long>getAs(withVal > 0 ? "replicated_val" : "replicated") > 0;
        return new RankedConfigs(ConfigRanking.rank(page, replicatedBelow), first.<Long>getAs("total"),
                withVal > 0 ? withVal : first.<Long>getAs("with_test"),
                withVal > 0 ? first.<Long>getAs("test_only") : 0);
    }

    /**
     * A page of ranked configurations.
     *
     * @param ranked the best configurations, best first
     * @param total  how many configurations the view holds, those without an ok trial included
     * @param scored how many of them have a trial that finished ok: a mean to rank them by
     * @param testOnly how many others finished ok without a validation accuracy (their sweep held out none), which
     *                 cannot be ranked with configurations ranked by theirs
     */
    public record RankedConfigs(List<ConfigRanking.Ranked> ranked, long total, long scored, long testOnly) {

        /**
         * What the page leaves out, one line each (none when it shows everything): the ranked configurations beyond
         * it ({@code more} says how to see them), and those that cannot be ranked, which no page shows.
         */
        public List<String> leftOut(String more) {
            List<String> lines = new ArrayList<>();
            if (ranked.size() < scored) {
                lines.add("the best " + ranked.size() + " of " + scored + " ranked configurations (" + more + ")");
            }
            if (testOnly > 0) {
                lines.add(testOnly + " of " + total + " configurations are not ranked with these: they have no"
                        + " validation accuracy (their sweep held out no validation data); --sweep NAME ranks a sweep"
                        + " by test accuracy");
            }
            if (total > scored + testOnly) {
                lines.add((total - scored - testOnly) + " of " + total + " configurations are not ranked: none of"
                        + " their trials finished ok (stopped early by ASHA, diverged, failed or timed out)");
            }
            return lines;
        }
    }

    /** How many trials ended other than ok. */
    public long notOk(String sweep) {
        return notOkByStatus(sweep).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many trials ended other than ok, by status (stopped, failed, diverged, timed-out), in that order. */
    public Map<String, Long> notOkByStatus(String sweep) {
        List<String> order = List.of("stopped", "failed", "diverged", "timed-out");
        Map<String, Long> out = new TreeMap<>(Comparator.comparingInt(
                (String s) -> order.contains(s) ? order.indexOf(s) : order.size()).thenComparing(s -> s));
        ResultsException.reading(() -> ofSweep(store, sweep).filter(col("status").notEqual("ok"))
                .groupBy("status").count().collectAsList()).forEach(r -> out.put(r.getString(0), r.getLong(1)));
        return out;
    }

    /**
     * One trial's curve points by iteration; {@code appendId} picks the curve of one row (of a retrained trial; of an
     * ASHA trial, every segment of the attempt it ends: {@link AttemptCurves}).
     */
    public List<Row> curve(String sweep, String trialId, String appendId) {
        if (appendId == null) {
            Dataset<Row> ordered = store.curves().filter(col("sweep").equalTo(sweep)
                    .and(col("trial_id").equalTo(trialId))).orderBy("iteration");
            return ResultsException.reading(ordered::collectAsList);
        }
        return AttemptCurves.of(store, Map.of(trialId, appendId));
    }

    /**
     * The rows of one sweep (all when {@code sweep} is null), one per trial: its latest attempt. A sweep's rows are
     * those it trained and those of trials it shares with a sweep that trained them first
     * ({@link LeaderboardStore#leaderboardOf}).
     */
    public static Dataset<Row> ofSweep(LeaderboardStore store, String sweep) {
        return latest(store.leaderboardOf(sweep));
    }

    /**
     * One row per trial of {@code rows}: its latest attempt. A failed trial is retried, and {@code --retry} trains a
     * finished one again; the leaderboard keeps every attempt (the raw table, as {@code --sql} shows it), but a trial
     * is one measurement, so statistics, rankings and reports count its latest row only: counting a retried trial
     * twice would be pseudo-replication, and a failure that a retry put right is not a failed trial.
     *
     * <p>Retried trials are few, so they are found first from the trial id column alone (a cheap aggregate), and only
     * their rows are ranked by time; ranking every row (a window over the whole table) doubled the time of the configs
     * view at 100,000 trials. Past {@value #FEW_RETRIED} retried trials, every row is ranked.
     */
    public static Dataset<Row> latest(Dataset<Row> rows) {
        List<Row> retried = ResultsException.reading(() -> rows.groupBy("trial_id").count()
                .filter(col("count").gt(1)).select("trial_id").limit(FEW_RETRIED + 1).collectAsList());
        if (retried.isEmpty()) {
            return rows;
        }
        if (retried.size() > FEW_RETRIED) {
            return latestAttempts(rows);
        }
        Object[] ids = retried.stream().map(r -> r.get(0)).toArray();
        return rows.filter(not(col("trial_id").isin(ids)))
                .unionByName(latestAttempts(rows.filter(col("trial_id").isin(ids))));
    }

    private static Dataset<Row> latestAttempts(Dataset<Row> rows) {
        WindowSpec attempts = Window.partitionBy(col("trial_id"))
                .orderBy(col("finished_at").desc(), col("append_id").desc_nulls_last());
        return rows.withColumn("attempt_rank", row_number().over(attempts))
                .filter(col("attempt_rank").equalTo(1)).drop("attempt_rank");
    }
}
