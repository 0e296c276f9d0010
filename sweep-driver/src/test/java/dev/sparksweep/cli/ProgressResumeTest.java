package dev.sparksweep.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trial cut short for real: a driver (its own JVM, Spark local[2], DL4J on an MNIST slice) saving progress at every
 * evaluation point is killed with SIGKILL mid-trial; the rerun continues the trial from its progress checkpoint and
 * records what a run in one go records.
 */
class ProgressResumeTest {

    @TempDir
    Path dir;

    private Path sweepFile() throws IOException {
        Path file = dir.resolve("progress.conf");
        Files.writeString(file, """
                sweep {
                  name = progress-test
                  space {
                    family = [gru]
                    layers = [1]
                    hidden = [16]
                    learning-rate = [0.005]
                    batch-size = [50]
                    iterations = [300]
                    seed = [4]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 20, eval-batch-size = 300, save-models = none }
                }
                """);
        return file;
    }

    private static Optional<Path> progressFile(Path out) throws IOException {
        Path root = out.resolve("checkpoints");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals("progress.ckpt")).findFirst();
        }
    }

    @Test
    void aKilledTrialContinuesFromItsProgressCheckpointAndEndsAsARunInOneGo() throws Exception {
        Path out = dir.resolve("resumed");
        Path sweep = sweepFile();
        String often = "-Dsweep.train.checkpoint-every=1ms";
        Path log = dir.resolve("killed.log");
        Process driver = CliRun.driver(log, "run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                often);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (progressFile(out).isEmpty() && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        driver.destroyForcibly().waitFor();
        assertTrue(progressFile(out).isPresent(), "killed after a progress save: " + Files.readString(log));
        assertFalse(Files.isDirectory(out.resolve("leaderboard")) && Files.list(out.resolve("leaderboard"))
                .anyMatch(f -> f.getFileName().toString().startsWith("part-")), "killed before the trial ended");

        CliRun rerun = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(), often);
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(progressFile(out).isEmpty(), "the progress checkpoint is deleted once the trial ended");
        Path oneGo = dir.resolve("one-go");
        CliRun plain = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", oneGo.toString(),
                "-Dsweep.train.checkpoint-every=0");
        assertEquals(0, plain.exit(), plain.err());

        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            String columns = "trial_id,status,resumed_at,test_accuracy,best_val_accuracy,iterations_done";
            Row resumed = spark.read().parquet(out.resolve("leaderboard").toString()).selectExpr(columns.split(","))
                    .first();
            Row straight = spark.read().parquet(oneGo.resolve("leaderboard").toString())
                    .selectExpr(columns.split(",")).first();
            assertEquals("ok", resumed.getString(1));
            assertTrue(!resumed.isNullAt(2) && resumed.getInt(2) > 0 && resumed.getInt(2) < 300
                    && resumed.getInt(2) % 20 == 0, "resumed at an evaluation point: " + resumed);
            assertTrue(straight.isNullAt(2), "trained in one go: " + straight);
            assertEquals(300, resumed.getInt(5));
            // Bit for bit: the kernels compute the same in every JVM (ReproducibleVectorMath).
            assertEquals(straight.getDouble(3), resumed.getDouble(3), "test accuracy");
            assertEquals(straight.getDouble(4), resumed.getDouble(4), "best validation");
            assertTrue(resumed.getDouble(3) > 0.5, "it learned: " + resumed);
            List<Integer> points = spark.read().parquet(out.resolve("curves").toString())
                    .selectExpr("iteration").collectAsList().stream().map(r -> r.getInt(0))
                    .sorted(Comparator.naturalOrder()).toList();
            assertEquals(15, points.size(), "one curve, every point once: " + points);
            assertEquals(20, points.get(0));
            assertEquals(300, points.get(14));
            String curve = "SELECT iteration, loss, validation_accuracy FROM parquet.`%s` ORDER BY iteration";
            assertEquals(spark.sql(curve.formatted(oneGo.resolve("curves"))).collectAsList(),
                    spark.sql(curve.formatted(out.resolve("curves"))).collectAsList(),
                    "the same curve as training in one go, bit for bit");
        }
    }

    private static List<String> filesNamed(Path root, String name) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals(name))
                    .map(f -> f.getParent().getFileName().toString()).toList();
        }
    }

    /**
     * TPE proposes from what finished, so a rerun would not propose again the trials a killed run was training (TPE
     * proposed them knowing other trials were running): they continue from their progress, found by the
     * configuration each wrote beside it, and keep their places in the sweep's count.
     */
    @Test
    void aTpeRerunContinuesTheTrialsTheKilledRunWasTrainingNotNewOnes() throws Exception {
        Path file = dir.resolve("tpe.conf");
        Files.writeString(file, """
                sweep {
                  name = tpe-progress
                  search { algorithm = tpe, trials = 4, seed = 6, tpe { startup = 1 } }
                  space {
                    family = [gru], layers = [1], hidden = { int = [8, 24] }
                    learning-rate = { log-uniform = [0.002, 0.02] }, batch-size = [50], iterations = [200], seed = [4]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 20, eval-batch-size = 300, save-models = none }
                }
                """);
        Path out = dir.resolve("tpe");
        Path checkpoints = out.resolve("checkpoints");
        String often = "-Dsweep.train.checkpoint-every=1ms";
        Path log = dir.resolve("tpe-killed.log");
        Process driver = CliRun.driver(log, "run", file.toString(), "--master", "local[2]", "--out", out.toString(),
                often);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        // Killed once two trials have ended, while TPE's later proposals train with their progress saved.
        while ((CliRun.partFiles(out.resolve("leaderboard")) < 2 || filesNamed(checkpoints, "progress.ckpt").isEmpty())
                && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        driver.destroyForcibly().waitFor();
        List<String> saved = filesNamed(checkpoints, "progress.ckpt");
        assertTrue(filesNamed(checkpoints, "configuration.txt").containsAll(saved),
                "each wrote its configuration beside its progress");
        // A trial's progress stays until its row is committed (then the driver deletes it): one whose row landed just
        // before the kill is finished, not interrupted, and its leftover files go when the rerun ends.
        Set<String> finishedAtKill;
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            finishedAtKill = spark.read().parquet(out.resolve("leaderboard").toString()).select("trial_id")
                    .collectAsList().stream().map(r -> r.getString(0)).collect(java.util.stream.Collectors.toSet());
        }
        List<String> interrupted = saved.stream().filter(id -> !finishedAtKill.contains(id)).toList();
        assertFalse(interrupted.isEmpty(), "killed while a trial was training: " + Files.readString(log));

        CliRun rerun = CliRun.of("run", file.toString(), "--master", "local[2]", "--out", out.toString(), often);
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(filesNamed(checkpoints, "progress.ckpt").isEmpty()
                && filesNamed(checkpoints, "configuration.txt").isEmpty(), "nothing left once every trial ended");
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            List<Row> rows = spark.read().parquet(out.resolve("leaderboard").toString())
                    .selectExpr("trial_id", "status", "resumed_at").collectAsList();
            assertEquals(4, rows.size(), "4 trials, each once: " + rows);
            assertEquals(4, rows.stream().map(r -> r.getString(0)).distinct().count(), rows.toString());
            for (String id : interrupted) {
                Row row = rows.stream().filter(r -> r.getString(0).equals(id)).findFirst().orElseThrow(
                        () -> new AssertionError("the interrupted trial " + id + " was not continued: " + rows));
                assertEquals("ok", row.getString(1));
                assertTrue(!row.isNullAt(2) && row.getInt(2) > 0, "continued from its progress: " + row);
            }
        }
    }
}
