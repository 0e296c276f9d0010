package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;

/**
 * The two Parquet tables under one output folder: {@code leaderboard/} and {@code curves/}.
 *
 * <p>Appends are durable per trial and safe against concurrent writers: each append is written by Spark into its own
 * staging folder and its finished Parquet files are then renamed into the table folder. Spark's own append would share
 * one {@code _temporary} folder per table, which a second writer's job commit deletes, losing rows.
 */
public final class LeaderboardStore {

    public static final String LEADERBOARD = "leaderboard";
    public static final String CURVES = "curves";
    /**
     * Statuses that are final: re-running such a trial would only repeat it (a timed-out trial would time out again
     * under the same limit). {@code failed} is not: a missing file or a lost executor may be fixed by then.
     */
    public static final List<String> FINISHED_STATUSES = List.of("ok", "diverged", "timed-out");

    private final SparkSession spark;
    private final Path root;

    public LeaderboardStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        this.root = new Path(outputDir);
    }

    public String leaderboardPath() {
        return new Path(root, LEADERBOARD).toString();
    }

    public String curvesPath() {
        return new Path(root, CURVES).toString();
    }

    /** The leaderboard table, empty if nothing has been written yet. */
    public Dataset<Row> leaderboard() {
        return read(LEADERBOARD, LeaderboardSchema.LEADERBOARD);
    }

    /**
     * The curves of trials that have a leaderboard row. Points written by a driver that died before the trial's row
     * are left out (they would otherwise double when the rerun writes the trial again).
     */
    public Dataset<Row> curves() {
        Dataset<Row> curves = read(CURVES, LeaderboardSchema.CURVES);
        Dataset<Row> appended = leaderboard().select("append_id").filter(col("append_id").isNotNull()).distinct();
        return curves.filter(col("append_id").isNull())
                .unionByName(curves.join(appended, curves.col("append_id").equalTo(appended.col("append_id")),
                        "left_semi"));
    }

    /** Ids of trials already trained to a final status, which a rerun skips. */
    public Set<String> finishedTrialIds() {
        return finishedTrialIds(Set.of());
    }

    /** Ids of trials already trained to a final status other than those in {@code retry}. */
    public Set<String> finishedTrialIds(Set<String> retry) {
        Object[] statuses = FINISHED_STATUSES.stream().filter(s -> !retry.contains(s)).toArray();
        Set<String> ids = new HashSet<>();
        for (Row row : leaderboard().filter(col("status").isin(statuses))
                .select("trial_id").distinct().collectAsList()) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    /** Registers the tables as the temporary views {@code leaderboard} and {@code curves} for Spark SQL. */
    public void registerViews() {
        leaderboard().createOrReplaceTempView(LEADERBOARD);
        curves().createOrReplaceTempView(CURVES);
    }

    /** Appends one finished trial (its row and its learning curve). Returns once both are durable. */
    public synchronized void append(String sweep, TrialOutcome outcome) {
        String appendId = UUID.randomUUID().toString();
        appendRows(CURVES, LeaderboardSchema.CURVES, LeaderboardRows.curveRows(sweep, outcome, appendId));
        // The leaderboard row goes last: once it exists, the trial counts as done, so its curve must already be there.
        appendRows(LEADERBOARD, LeaderboardSchema.LEADERBOARD,
                List.of(LeaderboardRows.leaderboardRow(sweep, outcome, appendId)));
    }

    private void appendRows(String table, StructType schema, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String id = UUID.randomUUID().toString();
        Path staging = new Path(new Path(root, "_staging"), table + "-" + id);
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
                .parquet(staging.toString());
        try {
            FileSystem fs = staging.getFileSystem(hadoopConf());
            Path target = new Path(root, table);
            fs.mkdirs(target);
            for (FileStatus file : fs.listStatus(staging)) {
                String name = file.getPath().getName();
                if (name.endsWith(".parquet")) {
                    Path dest = new Path(target, "part-" + id + "-" + name.replaceFirst("^part-", ""));
                    if (!fs.rename(file.getPath(), dest)) {
                        throw new IOException("could not move " + file.getPath() + " to " + dest);
                    }
                }
            }
            fs.delete(staging, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + new Path(root, table) + ": " + e.getMessage(), e);
        }
    }

    private Dataset<Row> read(String table, StructType schema) {
        Path dir = new Path(root, table);
        try {
            FileSystem fs = dir.getFileSystem(hadoopConf());
            if (!fs.exists(dir) || !hasParquet(fs, dir)) {
                return spark.createDataFrame(new ArrayList<Row>(), schema);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return spark.read().schema(schema).parquet(dir.toString());
    }

    private static boolean hasParquet(FileSystem fs, Path dir) throws IOException {
        for (FileStatus file : fs.listStatus(dir)) {
            if (file.getPath().getName().endsWith(".parquet")) {
                return true;
            }
        }
        return false;
    }

    private Configuration hadoopConf() {
        return spark.sparkContext().hadoopConfiguration();
    }
}
