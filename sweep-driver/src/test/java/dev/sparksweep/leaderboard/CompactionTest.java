package dev.sparksweep.leaderboard;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction on real Parquet tables: readers looping meanwhile see every committed row exactly once, appends from
 * another writer land during it, a compaction killed half way leaves the tables complete, and the views read the
 * same rows before and after.
 */
class CompactionTest {

    // Longer than any read here takes, even with trials training beside the tests (8 s was not, once).
    private static final Duration GRACE = Duration.ofSeconds(20);

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("compaction-test")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static TrialOutcome outcome(long seed) {
        Trial trial = Trial.of(ModelSpec.gru(1).withHidden(8), new TrainingConfig(30, 10, 1e-3, seed, 10, 100, 1),
                new DataSpec(DatasetName.MNIST, 100, 500, 100), "checksum");
        List<CurvePoint> curve = List.of(new CurvePoint(10, 2.0, 0.2), new CurvePoint(20, 1.7, 0.3),
                new CurvePoint(30, 1.5, 0.1 + seed % 50 / 100.0));
        TrialResult result = new TrialResult(TrialStatus.OK, null, 0.4, 20, 0.4, 0.35, 1.5, curve, 30, 1.0, 0.8, 25,
                500, 0.9);
        Instant now = Instant.now();
        return new TrialOutcome(trial, result, new Provenance("v", "d", "n", "s", "b", "h", "e", 0, now, now));
    }

    private static long files(Path table) throws IOException {
        try (Stream<Path> s = Files.list(table)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    /** Every committed trial exactly once in the leaderboard, and each of its three curve points once. */
    private static void assertExactlyOnce(LeaderboardStore store, Set<String> committedBefore) {
        List<String> ids = store.leaderboard().select("trial_id").collectAsList().stream().map(r -> r.getString(0))
                .toList();
        Set<String> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size(), "no row twice");
        assertTrue(distinct.containsAll(committedBefore), "no committed row missing: "
                + committedBefore.stream().filter(id -> !distinct.contains(id)).toList());
        List<Row> points = store.curves().groupBy("trial_id").count().collectAsList();
        for (Row p : points) {
            assertEquals(3L, p.getLong(1), "each curve point once: " + p);
        }
    }

    @Test
    void readersSeeEveryRowExactlyOnceWhileCompactionsAndAppendsRun() throws Exception {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        Set<String> committed = ConcurrentHashMap.newKeySet();
        for (long seed = 0; seed < 40; seed++) {
            TrialOutcome o = outcome(seed);
            store.append("s", o);
            committed.add(o.trial().id());
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> reads = pool.submit(() -> {
                int n = 0;
                while (!done.get()) {
                    assertExactlyOnce(store, Set.copyOf(committed));
                    n++;
                }
                return n;
            });
            Future<?> appends = pool.submit(() -> {
                for (long seed = 40; seed < 70; seed++) {
                    TrialOutcome o = outcome(seed);
                    store.append("s", o); // another driver's appends, landing during the compactions
                    committed.add(o.trial().id());
                }
                return null;
            });
            // A grace period longer than any read here takes, even on a loaded machine (10 minutes in use).
            Future<?> compactions = pool.submit(() -> {
                for (int i = 0; i < 4; i++) {
                    new Compaction(conf, dir.toString(), GRACE).compact(2);
                    Thread.sleep(1500);
                }
                return null;
            });
            appends.get();
            compactions.get();
            done.set(true);
            assertTrue(reads.get() >= 3, "the reader kept reading throughout");
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        Thread.sleep(GRACE.toMillis() + 100);
        List<Compaction.Result> last = new Compaction(conf, dir.toString(), GRACE).compact(2);
        assertExactlyOnce(store, committed);
        assertEquals(70, store.leaderboard().count());
        assertEquals(1, files(dir.resolve("leaderboard")), "one file left once the grace period is over: " + last);
        assertEquals(1, files(dir.resolve("curves")));
        assertEquals(70, store.finishedTrialIds().size());
    }

    @Test
    void aCompactionKilledBeforeOrAfterItsCommitLeavesTheTablesComplete() throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        Set<String> committed = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            TrialOutcome o = outcome(seed);
            store.append("s", o);
            committed.add(o.trial().id());
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        // Killed after its commit, before deleting: a grace period that has not passed keeps the replaced files.
        new Compaction(conf, dir.toString(), Duration.ofHours(1)).compact(2);
        assertEquals(13, files(dir.resolve("leaderboard")), "12 replaced files still there, and the compacted one");
        assertExactlyOnce(store, committed);
        assertEquals(12, store.leaderboard().count());

        // Killed before its commit: a half-written file in staging and its lock, long abandoned.
        Path staged = Files.createDirectories(dir.resolve("_staging").resolve("compact-dead"));
        Files.writeString(staged.resolve("leaderboard.parquet"), "PAR1 half a file");
        Path lock = Files.writeString(dir.resolve(Compaction.LOCK), "compaction by 1\n");
        assertEquals(12, store.leaderboard().count(), "staging is never read");
        String refused = org.junit.jupiter.api.Assertions.assertThrows(ResultsException.class,
                () -> new Compaction(conf, dir.toString(), Duration.ZERO).compact(2)).getMessage();
        assertTrue(refused.contains("another compaction"), refused);
        FileSystem fs = FileSystem.getLocal(conf);
        long old = System.currentTimeMillis() - Compaction.STALE_LOCK.toMillis() - 1000;
        fs.setTimes(new org.apache.hadoop.fs.Path(lock.toString()), old, old);
        fs.setTimes(new org.apache.hadoop.fs.Path(staged.toString()), old, old);
        new Compaction(conf, dir.toString(), Duration.ZERO).compact(2);
        assertEquals(1, files(dir.resolve("leaderboard")), "the lock taken over, the replaced files deleted");
        assertEquals(0, store.recover());
        assertTrue(Files.notExists(staged), "the abandoned compaction's staging removed by the next run's recovery");
        assertExactlyOnce(store, committed);
    }

    @Test
    void aCommitCutAfterItsRowWasCompactedAwayIsStillCompletedByTheNextRun() throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        store.append("s", outcome(1));
        store.append("s", outcome(2));
        // A driver commits (its row renamed in) while a compaction runs: the compaction takes the row in and deletes
        // its file; then the driver is killed before publishing the curve it staged. (A compaction completes the
        // half-published commits it finds first, so the stage appears here after it, as it would mid-compaction.)
        TrialOutcome cut = outcome(3);
        String id = "cut-commit";
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        ParquetRowWriter.write(conf, new org.apache.hadoop.fs.Path(dir.resolve("leaderboard").toString(),
                ResultsCommitter.fileName(id)), LeaderboardSchema.LEADERBOARD,
                List.of(LeaderboardRows.leaderboardRow("s", cut, id)));
        new Compaction(conf, dir.toString(), Duration.ZERO).compact(2);
        assertTrue(Files.notExists(dir.resolve("leaderboard").resolve(ResultsCommitter.fileName(id))));
        org.apache.hadoop.fs.Path stage = new org.apache.hadoop.fs.Path(dir.resolve("_staging").resolve(id)
                .toString());
        FileSystem fs = FileSystem.getLocal(conf);
        try (var marker = fs.create(new org.apache.hadoop.fs.Path(stage, "_primary"))) {
            marker.write("leaderboard".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        ParquetRowWriter.write(conf, new org.apache.hadoop.fs.Path(stage, "curves.parquet"), LeaderboardSchema.CURVES,
                LeaderboardRows.curveRows("s", cut, id));
        assertEquals(1, store.recover(), "the commit is recognised by its compacted row and completed");
        assertEquals(3, store.leaderboard().count());
        assertEquals(9, store.curves().count(), "the cut trial's curve published");
    }

    @Test
    void anOldResultsFolderReadsTheSameRowsInEveryViewBeforeAndAfterCompaction() throws IOException {
        // The seed study's results as an earlier sparksweep wrote them (one file per trial), copied.
        Path out = dir.resolve("old");
        copy(Path.of("..", "docs", "study", "results"), out);
        LeaderboardStore store = new LeaderboardStore(spark, out.toString());
        List<List<String>> before = views(store);
        List<Compaction.Result> results = new Compaction(spark.sparkContext().hadoopConfiguration(), out.toString(),
                Duration.ZERO).compact(2);
        assertEquals(1, files(out.resolve("leaderboard")), results.toString());
        List<List<String>> after = views(store);
        for (int v = 0; v < before.size(); v++) {
            for (int r = 0; r < Math.min(before.get(v).size(), after.get(v).size()); r++) {
                assertEquals(before.get(v).get(r), after.get(v).get(r), "view " + v + " row " + r);
            }
            assertEquals(before.get(v).size(), after.get(v).size(), "view " + v);
        }
        assertTrue(before.get(0).size() >= 30, "the study's rows: " + before.get(0).size());
    }

    /**
     * Every row of the leaderboard, curves, configs and rungs views, as sorted text; numbers to 10 significant digits,
     * since the configs view's means and deviations sum rows in file order.
     */
    private static List<List<String>> views(LeaderboardStore store) {
        store.registerViews();
        List<List<String>> out = new ArrayList<>();
        for (String view : List.of("leaderboard", "curves", "configs", "rungs")) {
            List<String> rows = new ArrayList<>(spark.sql("SELECT * FROM " + view).collectAsList().stream()
                    .map(CompactionTest::text).toList());
            Collections.sort(rows);
            out.add(rows);
        }
        return out;
    }

    private static String text(Row row) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < row.length(); i++) {
            Object v = row.get(i);
            s.append(v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.10g", d) : String.valueOf(v))
                    .append('|');
        }
        return s.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
