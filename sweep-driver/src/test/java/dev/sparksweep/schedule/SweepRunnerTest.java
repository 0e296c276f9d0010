package dev.sparksweep.schedule;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.train.TrainingConfig;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner on real Spark (local[2]) with real training on an MNIST slice: rows land while every slot is busy, a
 * trial stuck where it cannot check its time limit is cancelled by the driver, and a job that fails becomes a row.
 */
class SweepRunnerTest {

    private static SparkSession spark;
    private static RuntimeSettings runtime;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        runtime = SweepConfig.load(null, Map.of()).runtime();
        dev.sparksweep.data.DataFetcher.ensure(DatasetName.MNIST, runtime.dataDir(),
                runtime.parsedSourcesFor(DatasetName.MNIST), System.out::println);
        spark = SparkSession.builder().master("local[2]").appName("runner-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static Trial trial(ModelSpec model, int iterations, long seed) {
        return Trial.of(model, new TrainingConfig(iterations, 20, 0.003, seed, Math.max(1, iterations), 250, 1),
                new DataSpec(DatasetName.MNIST, 250, 1000, 250), DatasetManifest.of(DatasetName.MNIST).checksum());
    }

    private TrialContext context(long timeLimitSeconds) {
        return new TrialContext(runtime.dataDir().toAbsolutePath().toString(), runtime.sourcesFor(DatasetName.MNIST),
                spark.version(), timeLimitSeconds, "nvidia-smi");
    }

    @Test
    void aFinishedTrialsRowIsReadableWithinSecondsWhileEverySlotIsBusy() throws Exception {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        // The short trial frees its slot for a long one; from then on both slots train long trials (stopped by the
        // 12 s time limit), so a row that needed a core to be written would wait for them.
        Trial quick = trial(ModelSpec.rnn(1, RnnActivation.TANH).withHidden(8), 10, 1);
        List<Trial> trials = List.of(quick, trial(ModelSpec.lstm(2).withHidden(64), 1_000_000, 2),
                trial(ModelSpec.lstm(2).withHidden(64), 1_000_000, 3));
        SweepRunner runner = new SweepRunner(spark, store, quietOut(), Duration.ofSeconds(1));
        CompletableFuture<SweepSummary> sweep = CompletableFuture.supplyAsync(
                () -> runner.run("landing", trials, context(12)));
        Path rows = dir.resolve("leaderboard");
        Instant firstRowSeen = null;
        while (!sweep.isDone() && firstRowSeen == null) {
            if (rowFiles(rows) > 0) {
                firstRowSeen = Instant.now();
            }
            Thread.sleep(50);
        }
        SweepSummary summary = sweep.get();
        assertEquals(3, summary.trained());
        assertTrue(firstRowSeen != null, "a row landed before the sweep ended");
        List<Row> landed = store.leaderboard().orderBy("finished_at").collectAsList();
        Row first = landed.get(0);
        assertEquals(quick.id(), first.getAs("trial_id"));
        assertEquals("ok", first.getAs("status"));
        Instant quickEnded = first.<java.sql.Timestamp>getAs("finished_at").toInstant();
        long lagMillis = Duration.between(quickEnded, firstRowSeen).toMillis();
        assertTrue(lagMillis < 2000, "the quick trial's row landed " + lagMillis + " ms after it finished");
        for (Row slow : landed.subList(1, 3)) {
            assertEquals("timed-out", slow.getAs("status"));
            assertTrue(slow.<java.sql.Timestamp>getAs("finished_at").toInstant().isAfter(firstRowSeen.plusSeconds(3)),
                    "the long trials were still training when the row landed");
        }
    }

    @Test
    void theWatchdogCancelsATrialStuckWhereItCannotCheckItsLimit() throws Exception {
        // An executor fetching data from a server that accepts and never answers: the trial cannot check its clock.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path emptyData = dir.resolve("no-data");
            TrialContext stuck = new TrialContext(emptyData.toString(),
                    List.of("http://127.0.0.1:" + silent.getLocalPort() + "/mnist"), spark.version(), 1, "nvidia-smi");
            LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
            long t0 = System.nanoTime();
            new SweepRunner(spark, store, quietOut(), Duration.ofSeconds(1), Duration.ofSeconds(2))
                    .run("stuck", List.of(trial(ModelSpec.lstm(1).withHidden(8), 10, 4)), stuck);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Row row = store.leaderboard().first();
            assertEquals("timed-out", row.getAs("status"));
            assertTrue(row.<String>getAs("error").contains("its Spark job was cancelled"), row.<String>getAs("error"));
            assertTrue(seconds < 30, "cancelled after its limit and grace, not at the fetch's own timeout: " + seconds);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aTrialsProgressCheckpointAndItsRecordStayUntilItsRowIsCommitted() throws Exception {
        LeaderboardStore store = new LeaderboardStore(spark, dir.resolve("results").toString());
        // Evaluated every 20 iterations: progress is saved at 20 and 40 (and the trial ends at 60).
        Trial trial = Trial.of(ModelSpec.gru(1).withHidden(8), new TrainingConfig(60, 20, 0.003, 3, 20, 250, 1),
                new DataSpec(DatasetName.MNIST, 250, 1000, 250), DatasetManifest.of(DatasetName.MNIST).checksum());
        Path progressDir = dir.resolve("progress");
        TrialContext context = context(0).withProgress(progressDir.toString(), Duration.ofMillis(1));
        Path progress = context.progressFile(trial.id());
        TrialSource one = TrialSource.of(List.of(trial));
        List<String> atCommit = new ArrayList<>();
        TrialSource watched = new TrialSource() {
            @Override
            public int remaining() {
                return one.remaining();
            }

            @Override
            public java.util.Optional<dev.sparksweep.search.Work> next() {
                return one.next();
            }

            @Override
            public dev.sparksweep.search.Work.Recorded finished(dev.sparksweep.search.Work work,
                                                                dev.sparksweep.train.TrialResult result) {
                return one.finished(work, result);
            }

            @Override
            public void recorded(dev.sparksweep.search.Work work) {
                // The row is committed now: had the driver died a moment before, the rerun would have continued the
                // trial from its progress, so both files must still be there.
                atCommit.add(Files.isRegularFile(progress) + " " + Files.isRegularFile(
                        progress.resolveSibling(InterruptedTrials.FILE)) + " " + store.finishedTrialIds().size());
            }
        };
        new SweepRunner(spark, store, quietOut(), Duration.ofSeconds(1)).run("progress", watched, context, 0);
        assertEquals(List.of("true true 1"), atCommit, "progress saved at 20 and 40, kept until the row landed");
        assertTrue(Files.notExists(progressDir.resolve(trial.id())), "then deleted, with the trial's folder");
    }

    @Test
    void aJobThatFailsBecomesAFailedRowAndTheSweepGoesOn() throws Exception {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        Trial doomed = trial(ModelSpec.lstm(2).withHidden(64), 1_000_000, 5);
        Trial fine = trial(ModelSpec.rnn(1, RnnActivation.TANH).withHidden(8), 10, 6);
        SweepRunner runner = new SweepRunner(spark, store, quietOut(), Duration.ofSeconds(1));
        CompletableFuture<SweepSummary> sweep = CompletableFuture.supplyAsync(
                () -> runner.run("failing", List.of(doomed, fine), context(60)));
        // Cancel the doomed trial's job from outside, as a lost job would end: Spark reports it failed.
        Thread.sleep(4000);
        spark.sparkContext().cancelJobGroup("sparksweep-failing-" + doomed.id());
        SweepSummary summary = sweep.get();
        assertEquals(2, summary.trained());
        assertEquals(1, summary.notOk());
        Row failed = store.leaderboard().filter("trial_id = '" + doomed.id() + "'").first();
        assertEquals("failed", failed.getAs("status"));
        assertTrue(failed.<String>getAs("error").startsWith("spark job failed:"), failed.<String>getAs("error"));
        assertEquals("ok", store.leaderboard().filter("trial_id = '" + fine.id() + "'").first().getAs("status"));
    }

    private static long rowFiles(Path table) throws java.io.IOException {
        if (!Files.isDirectory(table)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(table)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")
                    && !f.getFileName().toString().startsWith(".")).count();
        }
    }

    private static PrintStream quietOut() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
