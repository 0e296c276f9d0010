package dev.sparksweep.leaderboard;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * The {@code configs} view: one row per configuration (every hyperparameter but the seed), with the number of ok
 * trials over seeds, the mean, sample standard deviation and 95 % confidence interval (Student t with n - 1 degrees of
 * freedom) of the best validation and of the test accuracy, and the mean training time and speed. Rows written before
 * config ids existed get theirs computed from their parameter columns, exactly as a trial computes it.
 */
public final class ConfigStatistics {

    /** t quantile for a two-sided 95 % interval with n - 1 degrees of freedom; null below n = 2. */
    private static final UserDefinedFunction T975 = udf((UDF1<Long, Double>) n -> n == null || n < 2 ? null
            : new TDistribution(n - 1).inverseCumulativeProbability(0.975), DataTypes.DoubleType);

    private ConfigStatistics() {
    }

    /** The view over a leaderboard. */
    public static Dataset<Row> configs(Dataset<Row> leaderboard) {
        return identifiedConfigs(withConfigIds(leaderboard));
    }

    /**
     * The view over leaderboard rows that already carry their config ids ({@link #withConfigIds}).
     */
    public static Dataset<Row> identifiedConfigs(Dataset<Row> rows) {
        return intervals(aggregate(rows, true)
                .withColumn("seeds", expr("transform(runs, r -> r.seed)"))
                .withColumn("val_values", expr("transform(runs, r -> r.val)"))
                .withColumn("test_values", expr("transform(runs, r -> r.test)"))
                .drop("runs"));
    }

    /**
     * The view without its per-seed lists ({@code seeds}, {@code val_values}, {@code test_values}): fixed-size
     * aggregates only, which Spark computes in a hash aggregate, so ranking 100,000 configurations stays cheap.
     *
     * @param leaderboard rows that already carry their config ids ({@link #withConfigIds})
     */
    public static Dataset<Row> summary(Dataset<Row> leaderboard) {
        return intervals(aggregate(leaderboard, false));
    }

    private static Dataset<Row> aggregate(Dataset<Row> rows, boolean withRuns) {
        Column ok = col("status").equalTo("ok");
        List<Column> aggregates = new ArrayList<>(List.of(first("model").as("model"), first("sweep").as("sweep")));
        for (Param p : Params.ALL) {
            if (p != Params.SEED) {
                aggregates.add(first(p.column(), true).as(p.column()));
            }
        }
        aggregates.addAll(List.of(count(when(ok, 1)).as("n"), count("*").as("trials"),
                avg(when(ok, col("best_val_accuracy"))).as("val_mean"),
                stddev_samp(when(ok, col("best_val_accuracy"))).as("val_sd"),
                avg(when(ok, col("test_accuracy"))).as("test_mean"),
                stddev_samp(when(ok, col("test_accuracy"))).as("test_sd"),
                avg(when(ok, col("train_seconds"))).as("train_seconds_mean"),
                avg(when(ok, col("iterations_per_second"))).as("iterations_per_second_mean")));
        if (withRuns) {
            // The runs by seed, so that seeds, val_values and test_values line up, in an order that does not depend
            // on how the rows are spread over files.
            aggregates.add(sort_array(collect_list(when(ok, struct(col("seed").as("seed"),
                    col("best_val_accuracy").as("val"), col("test_accuracy").as("test"))))).as("runs"));
        }
        return rows.groupBy("config_id").agg(aggregates.get(0),
                aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
    }

    private static Dataset<Row> intervals(Dataset<Row> grouped) {
        Column t = T975.apply(col("n"));
        for (String metric : List.of("val", "test")) {
            Column half = t.multiply(col(metric + "_sd")).divide(sqrt(col("n")));
            grouped = grouped.withColumn(metric + "_ci95", half)
                    .withColumn(metric + "_ci_low", col(metric + "_mean").minus(half))
                    .withColumn(metric + "_ci_high", col(metric + "_mean").plus(half));
        }
        return grouped;
    }

    /**
     * The leaderboard with a config id on every row. Only rows written before config ids existed go through the
     * row-by-row computation; the others are passed through as columns (Parquet's null counts let Spark skip the
     * second scan's row groups that hold no such row).
     */
    public static Dataset<Row> withConfigIds(Dataset<Row> leaderboard) {
        String[] columns = leaderboard.columns();
        int id = List.of(columns).indexOf("config_id");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            index.put(columns[i], i);
        }
        Dataset<Row> computed = leaderboard.filter(col("config_id").isNull()).map((MapFunction<Row, Row>) row -> {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            values[id] = configIdOf(row, index);
            return RowFactory.create(values);
        }, Encoders.row(leaderboard.schema()));
        return leaderboard.filter(col("config_id").isNotNull()).union(computed);
    }

    private static String configIdOf(Row row, Map<String, Integer> index) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            Object v = row.get(index.get(p.column()));
            if (v != null) {
                given.put(p.key(), v);
            }
        }
        DataSpec data = new DataSpec(DatasetName.parse(row.getString(index.get("dataset"))),
                row.getInt(index.get("validation_size")), row.getInt(index.get("train_limit")),
                row.getInt(index.get("test_limit")));
        return Trial.configIdOf(Params.completeRecorded(given), data, row.getString(index.get("dataset_checksum")));
    }
}
