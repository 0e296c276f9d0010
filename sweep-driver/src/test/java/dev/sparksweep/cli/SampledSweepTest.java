package dev.sparksweep.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and TPE searches for real: Spark local[2], DL4J on an MNIST slice, Parquet; a driver killed mid-search (a
 * separate JVM, SIGKILL) and rerun trains nothing twice, and a larger --trials extends the same search.
 */
class SampledSweepTest {

    @TempDir
    Path dir;

    private Path sweepFile(String algorithm, int trials, int iterations) throws IOException {
        Path file = dir.resolve(algorithm + ".conf");
        Files.writeString(file, """
                sweep {
                  name = %s-search
                  search { algorithm = %s, trials = %d, seed = 3, tpe { startup = 2 } }
                  space {
                    family = { choice = [rnn, lstm, gru] }
                    layers = [1]
                    hidden = { int = [8, 32], log = true }
                    learning-rate = { log-uniform = [0.002, 0.02] }
                    batch-size = [50]
                    iterations = [%d]
                    seed = [5]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = %d, eval-batch-size = 300 }
                }
                """.formatted(algorithm, algorithm, trials, iterations, iterations));
        return file;
    }

    private static List<Row> rows(Path out) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            return spark.read().parquet(out.resolve("leaderboard").toString())
                    .select("trial_id", "config_id", "family", "hidden", "learning_rate", "status", "finished_at")
                    .collectAsList();
        }
    }

    @Test
    void aRandomSearchTrainsItsSampledConfigurationsAndARerunTrainsNothing() throws IOException {
        Path out = dir.resolve("random");
        Path sweep = sweepFile("random", 3, 20);
        CliRun first = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, first.exit(), first.err());
        List<Row> rows = rows(out);
        assertEquals(3, rows.size());
        for (Row r : rows) {
            assertEquals("ok", r.getString(5));
            assertTrue(r.getInt(3) >= 8 && r.getInt(3) <= 32, r.toString());
            assertTrue(r.getDouble(4) >= 0.002 && r.getDouble(4) <= 0.02, r.toString());
        }
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertTrue(again.out().contains("3 already in the leaderboard, 0 to train"), again.out());
        CliRun extended = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(), "--trials", "4");
        assertTrue(extended.out().contains("3 already in the leaderboard, 1 to train"), extended.out());
    }

    @Test
    void aKilledTpeDriverIsRerunWithoutTrainingAnythingTwice() throws Exception {
        Path out = dir.resolve("tpe");
        Path sweep = sweepFile("tpe", 5, 60);
        Path log = dir.resolve("killed.log");
        Process driver = CliRun.driver(log, "run", sweep.toString(),
                "--master", "local[2]", "--out", out.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (rowFiles(out) < 2 && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        driver.destroyForcibly().waitFor(); // SIGKILL mid-search
        Map<String, Object> before = new HashMap<>();
        rows(out).forEach(r -> before.put(r.getString(0), r.get(6)));
        assertTrue(before.size() >= 2 && before.size() < 5, "killed mid-search with " + before.size() + " rows: "
                + Files.readString(log));

        CliRun rerun = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, rerun.exit(), rerun.err());
        assertTrue(rerun.out().contains(before.size() + " already in the leaderboard"), rerun.out());
        List<Row> rows = rows(out);
        assertEquals(5, rows.size(), "the search ends at 5 configurations: " + rows);
        assertEquals(5, rows.stream().map(r -> r.getString(0)).distinct().count(), "no trial trained twice");
        assertEquals(5, rows.stream().map(r -> r.getString(1)).distinct().count(), "5 distinct configurations");
        for (Row r : rows) {
            if (before.containsKey(r.getString(0))) {
                assertEquals(before.get(r.getString(0)), r.get(6), "rows from before the kill are intact");
            }
        }
        CliRun done = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertTrue(done.out().contains("0 to train"), done.out());
    }

    private static long rowFiles(Path out) throws IOException {
        Path table = out.resolve("leaderboard");
        if (!Files.isDirectory(table)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(table)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-")).count();
        }
    }
}
