package dev.sparksweep.leaderboard;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Parquet tables written through Spark: appends are durable one by one and concurrent writers lose nothing. */
class LeaderboardStoreTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("store-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static TrialOutcome outcome(long seed, TrialStatus status) {
        Trial trial = Trial.of(ModelSpec.lstm(1).withHidden(8), new TrainingConfig(20, 10, 1e-3, seed, 10, 100, 1),
                new DataSpec(DatasetName.MNIST, 100, 500, 100), "checksum");
        List<CurvePoint> curve = List.of(new CurvePoint(10, 2.0, 0.2), new CurvePoint(20, 1.5, 0.4));
        TrialResult result = new TrialResult(status, status == TrialStatus.OK ? null : "why", 0.4, 20, 0.4,
                status == TrialStatus.OK ? 0.35 : Double.NaN, 1.5, curve, 20, 1.0, 0.8, 25, 500, 0.9);
        Instant now = Instant.now();
        return new TrialOutcome(trial, result, new Provenance("v", "d", "n", "s", "b", "h", "e", 0, now, now));
    }

    @Test
    void curvePointsWithoutTheirLeaderboardRowAreLeftOutAndFinalStatusesCanBeRetried() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        store.append("a", outcome(1, TrialStatus.OK));
        store.append("a", outcome(2, TrialStatus.TIMED_OUT));
        // What a driver killed between the two writes leaves: the curve of a trial whose row never landed.
        spark.createDataFrame(LeaderboardRows.curveRows("a", outcome(3, TrialStatus.OK), "orphan"),
                LeaderboardSchema.CURVES).write().mode(org.apache.spark.sql.SaveMode.Append).parquet(store.curvesPath());
        assertEquals(6, spark.read().parquet(store.curvesPath()).count(), "the orphan points are on disk");
        assertEquals(4, store.curves().count(), "but not in the curves view");
        String timedOut = outcome(2, TrialStatus.OK).trial().id();
        assertTrue(store.finishedTrialIds().contains(timedOut), "timed-out is final by default");
        assertTrue(!store.finishedTrialIds(Set.of("timed-out")).contains(timedOut), "unless retried");
        assertEquals("timed-out", store.leaderboard().filter("trial_id = '" + timedOut + "'").first()
                .getAs("status"));
    }

    @Test
    void appendsAreReadBackTypedAndFinishedIdsExcludeFailures() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        assertEquals(0, store.leaderboard().count(), "an empty folder is an empty table");
        store.append("a", outcome(1, TrialStatus.OK));
        store.append("a", outcome(2, TrialStatus.DIVERGED));
        store.append("a", outcome(3, TrialStatus.FAILED));
        assertEquals(3, store.leaderboard().count());
        assertEquals(6, store.curves().count());
        assertEquals(Set.of(outcome(1, TrialStatus.OK).trial().id(), outcome(2, TrialStatus.OK).trial().id()),
                store.finishedTrialIds(), "ok and diverged are final, failed is retried");
        assertTrue(store.leaderboard().filter("status = 'diverged'").first().isNullAt(
                store.leaderboard().schema().fieldIndex("test_accuracy")), "NaN is stored as NULL");
    }

    @Test
    void aSweepAdoptsWhatAnotherSweepFinishedOnceEvenATrialItFailedItself() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        TrialOutcome sharedOk = outcome(1, TrialStatus.OK);
        TrialOutcome ownOk = outcome(2, TrialStatus.OK);
        TrialOutcome failedHere = outcome(3, TrialStatus.FAILED);
        store.append("first", sharedOk);
        store.append("second", ownOk);
        store.append("second", failedHere);
        store.append("first", outcome(3, TrialStatus.OK)); // the first sweep finished what the second failed
        List<String> ids = List.of(sharedOk.trial().id(), ownOk.trial().id(), failedHere.trial().id());
        assertEquals(2, store.adopt("second", ids), "the shared trial and the one it failed; not its own");
        assertEquals(0, store.adopt("second", ids), "recorded once");
        assertEquals(4, store.leaderboardOf("second").count(), "its two rows and the first's two it shares");
        List<org.apache.spark.sql.Row> latest = LeaderboardQueries.ofSweep(store, "second")
                .select("trial_id", "status").collectAsList();
        assertEquals(3, latest.size(), "each trial once: " + latest);
        assertTrue(latest.stream().allMatch(r -> r.getString(1).equals("ok")),
                "the failure is an earlier attempt of a trial the first sweep finished: " + latest);
        assertEquals(2, store.leaderboardOf("first").count(), "the first sweep adopted nothing");
    }

    @Test
    void aSnapshotSeesEachTableAsItsFirstReadListedItWhileWritesGoOn() {
        LeaderboardStore live = new LeaderboardStore(spark, dir.toString());
        live.append("s", outcome(1, TrialStatus.OK));
        LeaderboardStore snapshot = live.snapshot();
        assertEquals(1, snapshot.leaderboard().count());
        long points = snapshot.curves().count();
        live.append("s", outcome(2, TrialStatus.OK));
        assertEquals(1, snapshot.leaderboard().count(), "a report's sections agree while a sweep writes");
        assertEquals(points, snapshot.curves().count(), "its curves too (read before the append)");
        assertEquals(2, live.leaderboard().count());
        assertEquals(2, live.snapshot().leaderboard().count(), "a new snapshot sees the new row");
    }

    @Test
    void concurrentWritersLoseNoRows() throws Exception {
        // Two stores (as two sweeps would have) appending to the same tables at the same time.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
                for (int i = 0; i < 8; i++) {
                    store.append("sweep-" + writer, outcome(1000L * writer + i, TrialStatus.OK));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        assertEquals(16, store.leaderboard().count());
        assertEquals(16, store.leaderboard().select("trial_id").distinct().count());
        assertEquals(32, store.curves().count());
        assertEquals(16, store.finishedTrialIds().size());
    }
}
