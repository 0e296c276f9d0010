package dev.sparksweep.leaderboard;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.device.DeviceAssignment;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.MemoryUsage;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver-side commit on real Parquet files read back by Spark: every value lands in its own column, a commit cut
 * half way never shows a curve without its row, and damaged files are named, listed and moved aside.
 */
public class ResultsCommitTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("commit-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** An outcome whose every value differs from every other of its type, so a swap of two columns shows. */
    public static TrialOutcome distinctOutcome(long seed) {
        Trial trial = Trial.of(ModelSpec.rnn(3, RnnActivation.RELU).withHidden(17).withExtraFc(true),
                new TrainingConfig(41, 13, 0.0025, seed, 7, 101, 2), new DataSpec(DatasetName.MNIST, 211, 503, 307),
                "checksum-x");
        TrialResult result = new TrialResult(TrialStatus.OK, null, 0.61, 35, 0.52, 0.47, 1.23,
                List.of(new CurvePoint(7, 2.1, 0.3), new CurvePoint(14, 1.9, 0.4, 0.35)), 41, 9.5, 8.25, 4.97,
                12345, 9.0);
        Provenance p = new Provenance("sv", "dv", "nv", "spv", "backend-x", "host-x", "exec-7", 3,
                Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("2026-01-02T03:05:06.654321Z"),
                new DeviceAssignment("5", "cuda:5 test"), new MemoryUsage(3L << 20, 5L << 20), 77, "17.0.99", "vendor-x");
        return new TrialOutcome(trial, result, p, "/models/x/" + trial.id() + ".zip").continuing("trial-y", 21, 0.5).resumed(14);
    }

    @Test
    void everyValueIsReadBackByColumnName() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        TrialOutcome o = distinctOutcome(99);
        store.append("sweep-x", o);
        Row row = store.leaderboard().first();
        Map<String, Object> expected = Map.ofEntries(Map.entry("sweep", "sweep-x"), Map.entry("trial_id", o.trial().id()),
                Map.entry("model", "rnn-relu-3x17+fc"), Map.entry("family", "rnn"), Map.entry("layers", 3),
                Map.entry("hidden", 17), Map.entry("activation", "relu"), Map.entry("extra_fc", true),
                Map.entry("bidirectional", false), Map.entry("learning_rate", 0.0025), Map.entry("batch_size", 13),
                Map.entry("iterations", 41), Map.entry("seed", 99L), Map.entry("dataset", "mnist"),
                Map.entry("validation_size", 211), Map.entry("train_limit", 503), Map.entry("test_limit", 307),
                Map.entry("eval_every", 7), Map.entry("threads", 2), Map.entry("status", "ok"),
                Map.entry("best_val_accuracy", 0.61), Map.entry("best_iteration", 35),
                Map.entry("final_val_accuracy", 0.52), Map.entry("test_accuracy", 0.47), Map.entry("final_loss", 1.23),
                Map.entry("param_count", 12345L), Map.entry("iterations_done", 41), Map.entry("wall_seconds", 9.5),
                Map.entry("train_seconds", 8.25), Map.entry("iterations_per_second", 4.97),
                Map.entry("sparksweep_version", "sv"), Map.entry("dl4j_version", "dv"), Map.entry("nd4j_version", "nv"),
                Map.entry("spark_version", "spv"), Map.entry("backend", "backend-x"),
                Map.entry("dataset_checksum", "checksum-x"), Map.entry("host", "host-x"),
                Map.entry("executor_id", "exec-7"), Map.entry("task_attempt", 3),
                Map.entry("started_at", Timestamp.from(Instant.parse("2026-01-02T03:04:05.123456Z"))),
                Map.entry("finished_at", Timestamp.from(Instant.parse("2026-01-02T03:05:06.654321Z"))),
                Map.entry("trial_config", o.trial().canonical()), Map.entry("gpu_address", "5"),
                Map.entry("device", "cuda:5 test"), Map.entry("executor_heap_mb", 3.0),
                Map.entry("executor_process_mb", 5.0), Map.entry("time_limit_seconds", 77L),
                Map.entry("java_version", "17.0.99"), Map.entry("jvm_vendor", "vendor-x"),
                Map.entry("config_id", o.trial().configId()), Map.entry("dropout", 0.0),
                Map.entry("optimizer", "adam"), Map.entry("lr_schedule", "constant"),
                Map.entry("warmup_iterations", 0), Map.entry("clip_norm", 0.0), Map.entry("bias_init", "dl4j"),
                Map.entry("augment_shift", 0),
                Map.entry("model_path", "/models/x/" + o.trial().id() + ".zip"),
                Map.entry("continued_from", "trial-y"), Map.entry("continued_at", 21),
                Map.entry("own_wall_seconds", 9.0), Map.entry("resumed_at", 14));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), row.getAs(e.getKey()), e.getKey());
        }
        // Parameters that do not apply to this configuration (adam has no momentum) hold no value.
        List<String> nulls = List.of("error", "weight_decay", "momentum", "step_gamma", "step_every");
        for (String column : nulls) {
            assertTrue(row.isNullAt(row.fieldIndex(column)), column);
        }
        assertEquals(expected.size() + nulls.size() + 1, row.length(), "every column checked but append_id");
        List<Row> curve = store.curves().orderBy("iteration").collectAsList();
        assertEquals(2, curve.size());
        assertEquals(row.<String>getAs("append_id"), curve.get(0).getAs("append_id"));
        assertEquals(0.35, curve.get(1).<Double>getAs("test_accuracy"));
        assertTrue(curve.get(0).isNullAt(curve.get(0).fieldIndex("test_accuracy")));
    }

    /** Puts the first curve file back into its commit's staging folder, as a driver killed before publishing it. */
    private Path unpublishFirstCurve() throws IOException {
        Path published = onlyFile(dir.resolve("curves"), 0);
        String id = published.getFileName().toString().replace("part-", "").replace(".parquet", "");
        Path staged = dir.resolve("_staging").resolve(id).resolve("curves.parquet");
        Files.createDirectories(staged.getParent());
        Files.move(published, staged);
        Files.deleteIfExists(published.resolveSibling("." + published.getFileName() + ".crc"));
        return staged;
    }

    @Test
    void aCommitCutBetweenRowAndCurveIsCompletedAndRawFilesNeverHoldOrphans() throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        store.append("s", distinctOutcome(1));
        store.append("s", distinctOutcome(2));
        // A driver killed after the row's rename: its curve is still in staging.
        Path staged = unpublishFirstCurve();
        assertEquals(2, rawCount("curves"), "raw curves hold only the other trial's points, no orphan");
        assertEquals(1, store.recover());
        assertEquals(4, rawCount("curves"), "the staged curve is published at the next run's start");
        // A driver killed before its commit: only a staging folder, which no reader sees; recovery removes it once old.
        Path abandoned = dir.resolve("_staging").resolve("abandoned");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve("curves.parquet"), "half");
        // Killed as it began: the marker naming the primary table exists but is still empty.
        Path barelyStarted = Files.createDirectories(dir.resolve("_staging").resolve("barely-started"));
        Files.writeString(barelyStarted.resolve("_primary"), "");
        assertEquals(0, store.recover(), "nothing of it was committed");
        assertEquals(2, store.leaderboard().count());
        new ResultsCommitter(new Configuration(), new org.apache.hadoop.fs.Path(dir.toString())).recover(Duration.ZERO);
        assertFalse(Files.exists(abandoned));
        assertFalse(Files.exists(barelyStarted));
    }

    @Test
    void aCompactionFirstCompletesTheCommitsAKilledDriverLeftHalfPublished() throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        for (int i = 1; i <= 3; i++) {
            store.append("s", distinctOutcome(i));
        }
        long points = store.curves().count();
        Path staged = unpublishFirstCurve();
        // Compacting the leaderboard replaces the row's file, the evidence that the commit happened: so the commit is
        // completed first, not left to a recovery that (after more compactions) could no longer tell.
        new Compaction(new Configuration(), dir.toString(), Duration.ZERO).compact(2);
        assertFalse(Files.exists(staged.getParent()), "completed by the compaction");
        assertEquals(points, store.curves().count(), "every point is back");
        assertEquals(3, store.leaderboard().count());
    }

    enum Damage { EMPTY, TRUNCATED, GARBAGE_APPENDED, BYTE_FLIPPED }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedFileIsNamedListedAndQuarantinedSoTheRerunRetrainsExactlyItsTrial(Damage damage) throws IOException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        for (long seed = 1; seed <= 3; seed++) {
            store.append("s", distinctOutcome(seed));
        }
        Path victim = onlyFile(dir.resolve("leaderboard"), 1);
        damage(victim, damage);
        ResultsException refused = assertThrows(ResultsException.class, store::finishedTrialIds);
        assertTrue(refused.getMessage().contains(victim.getFileName().toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("--quarantine"), refused.getMessage());

        ResultsFolder folder = new ResultsFolder(new Configuration(), dir.toString());
        List<DamagedFile> damaged = folder.damaged();
        assertEquals(1, damaged.size(), damaged.toString());
        assertTrue(damaged.get(0).path().endsWith(victim.getFileName().toString()));

        List<String> moved = folder.quarantine();
        assertEquals(2, moved.size(), "the row file and its curve: " + moved);
        assertTrue(Files.exists(dir.resolve("_quarantine/leaderboard").resolve(victim.getFileName())));
        assertEquals(List.of(), folder.damaged());
        assertEquals(2, store.finishedTrialIds().size(), "the damaged row's trial is retrained, the others are not");
        assertEquals(4, rawCount("curves"), "no orphan points stay behind");
    }

    private static void damage(Path file, Damage damage) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        switch (damage) {
            case EMPTY -> Files.write(file, new byte[0]);
            case TRUNCATED -> Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            case GARBAGE_APPENDED -> Files.write(file, "garbage".getBytes(), java.nio.file.StandardOpenOption.APPEND);
            case BYTE_FLIPPED -> {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.seek(bytes.length / 2);
                    raf.write(bytes[bytes.length / 2] ^ 0x5A);
                }
            }
        }
        if (damage != Damage.BYTE_FLIPPED) {
            // An edit that went around Hadoop leaves a stale checksum; drop it so the damage itself is what is found.
            Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        }
    }

    private long rawCount(String table) {
        return spark.read().parquet(dir.resolve(table).toString()).count();
    }

    private static Path onlyFile(Path tableDir, int index) throws IOException {
        try (Stream<Path> files = Files.list(tableDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")
                    && !f.getFileName().toString().startsWith(".")).sorted().toList().get(index);
        }
    }
}
