package dev.sparksweep.bench;

import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardRows;
import dev.sparksweep.leaderboard.LeaderboardSchema;
import dev.sparksweep.leaderboard.LeaderboardStore;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * The other design the leaderboard could take: a Delta Lake table (delta-spark 3.3.2) holding the same rows as a
 * sparksweep results folder. Measures what differs: appending one trial's row (a Spark job and a transaction-log
 * commit each, against sparksweep's driver-side Parquet commit), the same queries before and after {@code OPTIMIZE},
 * and the compaction itself.
 */
final class DeltaComparison {

    private DeltaComparison() {
    }

    /** The Spark settings a session needs for Delta's SQL and {@code OPTIMIZE}. */
    static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }

    /** Lines for the benchmark's table: the Delta table of {@code folder}'s rows, with {@code appends} appends. */
    static List<String> measure(SparkSession spark, Path folder, Path delta, int size, int appends) {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(delta)) {
            // One bulk write: the rows as they would be after OPTIMIZE of a table fed one commit per trial.
            new LeaderboardStore(spark, folder.toString()).leaderboard().write().format("delta").save(delta.toString());
        }
        double[] append = new double[appends];
        for (int i = 0; i < appends; i++) {
            Row row = LeaderboardRows.leaderboardRow("sweep-extra", LeaderboardScaleBenchmark.outcome(-1 - i),
                    "delta-" + i);
            long t0 = System.nanoTime();
            spark.createDataFrame(List.of(row), LeaderboardSchema.LEADERBOARD).write().format("delta").mode("append")
                    .save(delta.toString());
            append[i] = seconds(t0);
        }
        Arrays.sort(append);
        lines.add(queries(spark, delta, size, "delta, +" + appends + " appends", append[appends / 2]));
        long t0 = System.nanoTime();
        DeltaTable.forPath(spark, delta.toString()).optimize().executeCompaction();
        lines.add(String.format(Locale.ROOT, "%7d trials: delta OPTIMIZE %.1f s", size, seconds(t0)));
        lines.add(queries(spark, delta, size, "delta, optimized", Double.NaN));
        return lines;
    }

    private static String queries(SparkSession spark, Path delta, int size, String layout, double appendSeconds) {
        Dataset<Row> table = spark.read().format("delta").load(delta.toString());
        long t0 = System.nanoTime();
        table.orderBy(LeaderboardQueries.SCORE.desc()).limit(10).collectAsList();
        double top = seconds(t0);
        t0 = System.nanoTime();
        table.groupBy("config_id").count().collectAsList();
        double group = seconds(t0);
        t0 = System.nanoTime();
        table.filter(col("status").isin("ok", "stopped", "diverged", "timed-out")).select("trial_id").distinct()
                .collectAsList();
        double lookup = seconds(t0);
        long files;
        try (var s = Files.list(delta)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return String.format(Locale.ROOT, "%7d %-17s %7d %9.2f %9.2f %9.2f %9.3f %9s", size, layout, files, top, group,
                lookup, appendSeconds, "-");
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
