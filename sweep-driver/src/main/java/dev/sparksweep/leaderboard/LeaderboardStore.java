package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.substring_index;

/**
 * The Parquet tables under one output folder ({@link #TABLES}): {@code leaderboard/} and {@code curves/}, and
 * {@code rungs/} (ASHA), {@code models/} (refits) and {@code members/} (trials a sweep shares with another).
 *
 * <p>Appends are written by the driver itself, one commit per trial ({@link ResultsCommitter}): durable as soon as
 * the trial ends, even while every executor core is busy with other trials, and safe with concurrent writers (every
 * commit has its own staging folder and file names). Reads refuse a damaged table with the file named.
 */
public final class LeaderboardStore {

    public static final String LEADERBOARD = "leaderboard";
    public static final String CURVES = "curves";
    public static final String RUNGS = "rungs";
    public static final String MODELS = "models";
    public static final String MEMBERS = "members";
    /** Every table of a results folder. */
    public static final List<String> TABLES = List.of(LEADERBOARD, CURVES, RUNGS, MODELS, MEMBERS);
    /**
     * Statuses that are final: re-running such a trial would only repeat it (a timed-out trial would time out again
     * under the same limit). {@code failed} is not: a missing file or a lost executor may be fixed by then.
     */
    public static final List<String> FINISHED_STATUSES = List.of("ok", "diverged", "timed-out", "stopped");

    /** A staging folder this old without a committed row belongs to a driver that died before its commit. */
    static final Duration ABANDONED_STAGING = Duration.ofMinutes(10);

    private final SparkSession spark;
    private final Path root;
    /** A snapshot's tables, each listed once (see {@link #snapshot}); null for a live store. */
    private final Map<String, Dataset<Row>> pinned;

    public LeaderboardStore(SparkSession spark, String outputDir) {
        this(spark, new Path(outputDir), null);
    }

    private LeaderboardStore(SparkSession spark, Path root, Map<String, Dataset<Row>> pinned) {
        this.spark = spark;
        this.root = root;
        this.pinned = pinned;
    }

    /**
     * This folder as it is when each table is first read: every later read of the table sees that listing, so what
     * one report (or other reader making several queries) says agrees with itself while sweeps go on writing. For
     * reading only: what is appended through it, it does not see.
     */
    public LeaderboardStore snapshot() {
        return new LeaderboardStore(spark, root, new ConcurrentHashMap<>());
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
     * The leaderboard rows of one sweep, every attempt: those it trained and those of the trials it shares with
     * sweeps that trained them first ({@link #adopt}); every row when {@code sweep} is null.
     */
    public Dataset<Row> leaderboardOf(String sweep) {
        if (sweep == null) {
            return leaderboard();
        }
        Object[] shared = ResultsException.reading(() -> members().filter(col("sweep").equalTo(sweep))
                .select("trial_id").distinct().collectAsList()).stream().map(r -> r.get(0)).toArray();
        Column own = col("sweep").equalTo(sweep);
        return leaderboard().filter(shared.length == 0 ? own : own.or(col("trial_id").isin(shared)));
    }

    /**
     * Records that {@code sweep} counts the finished trials {@code trialIds} although another sweep trained them (a
     * rerun skips a trial whatever sweep trained it), so that the sweep's rankings, statistics and report include
     * them. Trials of its own, or already recorded, are left out. Returns the trials newly recorded.
     */
    public int adopt(String sweep, Collection<String> trialIds) {
        if (trialIds.isEmpty()) {
            return 0;
        }
        Set<String> known = new HashSet<>();
        ResultsException.reading(() -> members().filter(col("sweep").equalTo(sweep)).select("trial_id")
                .collectAsList()).forEach(r -> known.add(r.getString(0)));
        Map<String, String> trainedBy = new TreeMap<>();
        Set<String> own = new HashSet<>();
        // Finished rows only: a trial this sweep tried and failed, which another sweep then finished, is skipped now
        // and so must be adopted like any other.
        for (Row r : ResultsException.reading(() -> leaderboard().filter(col("trial_id").isin(trialIds.toArray())
                .and(col("status").isin(FINISHED_STATUSES.toArray()))).select("trial_id", "sweep").distinct()
                .collectAsList())) {
            if (r.getString(1).equals(sweep)) {
                own.add(r.getString(0));
            } else {
                trainedBy.putIfAbsent(r.getString(0), r.getString(1));
            }
        }
        trainedBy.keySet().removeAll(own);
        trainedBy.keySet().removeAll(known);
        if (trainedBy.isEmpty()) {
            return 0;
        }
        java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
        List<Row> rows = trainedBy.entrySet().stream()
                .map(e -> RowFactory.create(sweep, e.getKey(), e.getValue(), now)).toList();
        new ResultsCommitter(hadoopConf(), root).commit(UUID.randomUUID().toString(),
                new ResultsCommitter.TableRows(MEMBERS, LeaderboardSchema.MEMBERS, rows), List.of());
        return rows.size();
    }

    /** The trials sweeps count but other sweeps trained ({@link #adopt}), empty if none. */
    public Dataset<Row> members() {
        return read(MEMBERS, LeaderboardSchema.MEMBERS);
    }

    /**
     * The curve points committed with a leaderboard row or, for ASHA, with a segment's rung row (each segment commits
     * its new points with its rung row; see {@link AttemptCurves} for one row's whole curve). Points of files without
     * such a row (left by a driver that died half-way before commits were atomic) are left out: they would double
     * when the rerun writes the trial again.
     */
    public Dataset<Row> curves() {
        Dataset<Row> curves = read(CURVES, LeaderboardSchema.CURVES);
        Dataset<Row> appended = leaderboard().select("append_id").unionByName(rungs().select("append_id"))
                .filter(col("append_id").isNotNull()).distinct();
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
        for (Row row : ResultsException.reading(() -> leaderboard().filter(col("status").isin(statuses))
                .select("trial_id").distinct().collectAsList())) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    /**
     * Registers the tables as temporary views for Spark SQL ({@code leaderboard} and {@code curves}: every attempt of
     * every trial; {@code rungs}, {@code models}, {@code members}), each trial's latest attempt as {@code trials} (what
     * the rankings count), and the statistics over seeds as {@code configs} ({@link ConfigStatistics}, over
     * {@code trials}).
     */
    public void registerViews() {
        leaderboard().createOrReplaceTempView(LEADERBOARD);
        LeaderboardQueries.latest(leaderboard()).createOrReplaceTempView("trials");
        curves().createOrReplaceTempView(CURVES);
        ConfigStatistics.configs(LeaderboardQueries.latest(leaderboard())).createOrReplaceTempView("configs");
        rungs().createOrReplaceTempView(RUNGS);
        models().createOrReplaceTempView(MODELS);
        members().createOrReplaceTempView(MEMBERS);
    }

    /** The refitted models ({@code sparksweep refit}), empty if none. */
    public Dataset<Row> models() {
        return read(MODELS, LeaderboardSchema.MODELS);
    }

    /** Commits one refitted model's row (see {@link LeaderboardSchema#MODELS}); returns once it is durable. */
    public void appendModel(Row row) {
        new ResultsCommitter(hadoopConf(), root).commit(UUID.randomUUID().toString(),
                new ResultsCommitter.TableRows(MODELS, LeaderboardSchema.MODELS, List.of(row)), List.of());
    }

    /**
     * Commits one finished trial (its row and its learning curve) from the driver, without a Spark job. Returns once
     * the row is durable; the curve is published with it (see {@link ResultsCommitter}).
     */
    public void append(String sweep, TrialOutcome outcome) {
        String commitId = UUID.randomUUID().toString();
        new ResultsCommitter(hadoopConf(), root).commit(commitId,
                LeaderboardRows.leaderboardRow(sweep, outcome, commitId),
                LeaderboardRows.curveRows(sweep, outcome, commitId));
    }

    /**
     * Commits one ASHA segment: its rung record (the commit point), the curve points it added (after
     * {@code fromIteration}), and, when the trial ends with it, the trial's leaderboard row.
     */
    public void appendSegment(String sweep, TrialOutcome outcome, SegmentRecord segment) {
        String commitId = UUID.randomUUID().toString();
        List<Row> curve = LeaderboardRows.curveRows(sweep, outcome, commitId).stream()
                .filter(r -> r.<Integer>getAs(2) > segment.fromIteration()).toList();
        List<ResultsCommitter.TableRows> others = new ArrayList<>();
        others.add(new ResultsCommitter.TableRows(CURVES, LeaderboardSchema.CURVES, curve));
        if (segment.trialEnds()) {
            others.add(new ResultsCommitter.TableRows(LEADERBOARD, LeaderboardSchema.LEADERBOARD,
                    List.of(LeaderboardRows.leaderboardRow(sweep, outcome, commitId))));
        }
        new ResultsCommitter(hadoopConf(), root).commit(commitId, new ResultsCommitter.TableRows(RUNGS,
                LeaderboardSchema.RUNGS, List.of(LeaderboardRows.rungRow(sweep, outcome, segment, commitId))),
                others);
    }

    /** The rung records of ASHA sweeps, empty if none. */
    public Dataset<Row> rungs() {
        return read(RUNGS, LeaderboardSchema.RUNGS);
    }

    /**
     * Completes the commits of drivers that stopped half way (see {@link ResultsCommitter#recover}); run before a
     * sweep reads what is finished. Returns how many were completed.
     */
    public int recover() {
        return new ResultsCommitter(hadoopConf(), root).recover(ABANDONED_STAGING);
    }

    private Dataset<Row> read(String table, org.apache.spark.sql.types.StructType schema) {
        return pinned == null ? readNow(table, schema) : pinned.computeIfAbsent(table, t -> readNow(t, schema));
    }

    private Dataset<Row> readNow(String table, org.apache.spark.sql.types.StructType schema) {
        TableFiles files = new TableFiles(hadoopConf(), new Path(root, table));
        List<FileStatus> all = files.dataFiles();
        if (all.isEmpty()) {
            return spark.createDataFrame(new ArrayList<Row>(), schema);
        }
        files.requireNoEmptyFiles(all);
        // Spark lists the folder once, here: that listing is what this read sees. The rows of a file that a
        // compacted file of the same listing replaces are left out, so a compaction committing at any moment
        // never shows a row twice (its replaced files stay until long after any read: see Compaction).
        Dataset<Row> data = spark.read().schema(schema).parquet(files.dir().toString());
        List<FileStatus> compacted = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String file : data.inputFiles()) {
            Path path = new Path(file);
            listed.add(path.getName());
            if (path.getName().startsWith(TableFiles.COMPACTED_PREFIX)) {
                compacted.add(files.status(path));
            }
        }
        // Only replaced files still in the listing need leaving out: once a compaction has deleted them (after its
        // grace period), the query carries no filter at all, rather than a list of every file ever compacted away.
        java.util.Set<String> replaced = new java.util.HashSet<>(files.replaced(compacted));
        replaced.retainAll(listed);
        return replaced.isEmpty() ? data : data.filter(not(substring_index(input_file_name(), "/", -1)
                .isin(replaced.toArray())));
    }

    private Configuration hadoopConf() {
        return spark.sparkContext().hadoopConfiguration();
    }
}
