package dev.sparksweep.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ASHA for real: Spark local[2], DL4J on an MNIST slice, segments continued from checkpoints on disk, rung records in
 * the leaderboard; a driver killed mid-sweep (a separate JVM, SIGKILL) and rerun trains no rung twice.
 */
class AshaSweepTest {

    @TempDir
    Path dir;

    private Path sweepFile() throws IOException {
        Path file = dir.resolve("asha.conf");
        Files.writeString(file, """
                sweep {
                  name = asha-test
                  search { algorithm = random, trials = 6, seed = 11, scheduler = asha
                           asha { min-iterations = 10, reduction-factor = 3 } }
                  space {
                    family = { choice = [rnn, lstm, gru] }
                    layers = [1]
                    hidden = { int = [8, 32], log = true }
                    learning-rate = { log-uniform = [0.0005, 0.03] }
                    batch-size = [50]
                    iterations = [90]
                    seed = [5]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 10, eval-batch-size = 300 }
                }
                """);
        return file;
    }

    private static List<Row> table(Path out, String table, String columns) {
        try {
            if (CliRun.partFiles(out.resolve(table)) == 0) {
                return List.of(); // a driver killed before any trial ended has written no leaderboard row yet
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            return spark.read().parquet(out.resolve(table).toString()).selectExpr(columns.split(",")).collectAsList();
        }
    }

    private static void assertConsistent(Path out) {
        List<Row> rungs = table(out, "rungs", "trial_id,rung,decision,iterations,segment_seconds,job_seconds");
        Set<String> keys = new HashSet<>();
        for (Row r : rungs) {
            assertTrue(keys.add(r.getString(0) + "@" + r.getInt(1)), "a rung trained once: " + rungs);
            assertEquals(List.of(10, 30, 90).get(r.getInt(1)), r.getInt(3), "rung iterations");
            // The segment's own training sits inside its Spark job: the difference is the segment's overhead.
            assertTrue(r.getDouble(4) > 0 && r.getDouble(4) < r.getDouble(5), "segment within its job: " + r);
        }
        List<Row> rows = table(out, "leaderboard", "trial_id,status,iterations_done");
        assertEquals(rows.size(), rows.stream().map(r -> r.getString(0)).distinct().count(), "one row per trial");
        Map<String, Integer> lastRung = new HashMap<>();
        rungs.forEach(r -> lastRung.merge(r.getString(0), r.getInt(1), Math::max));
        for (Row r : rows) {
            if (r.getString(1).equals("ok")) {
                assertEquals(2, lastRung.get(r.getString(0)), "an ok trial reached the last rung");
                assertEquals(90, r.getInt(2));
            } else {
                assertEquals("stopped", r.getString(1), r.toString());
            }
        }
    }

    @Test
    void ashaStopsSomeTrialsPromotesOneToTheBudgetAndARerunContinuesWithoutRepeating() throws Exception {
        Path out = dir.resolve("results");
        Path sweep = sweepFile();
        // First a driver killed as soon as it has recorded a few rungs.
        Path log = dir.resolve("killed.log");
        // Progress saved at every evaluation point: a segment killed mid-way continues from it on the rerun.
        String often = "-Dsweep.train.checkpoint-every=1ms";
        Process driver = CliRun.driver(log, "run", sweep.toString(),
                "--master", "local[2]", "--out", out.toString(), often);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (CliRun.partFiles(out.resolve("rungs")) < 4 && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        driver.destroyForcibly().waitFor();
        long before = CliRun.partFiles(out.resolve("rungs"));
        assertTrue(before >= 4, "killed after " + before + " rung records: " + Files.readString(log));
        assertConsistent(out);

        CliRun rerun = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(), often);
        assertEquals(0, rerun.exit(), rerun.err());
        assertConsistent(out);
        try (Stream<Path> left = Files.walk(out.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(f -> f.getFileName().toString().equals("progress.ckpt")),
                    "every segment's progress checkpoint is deleted when it ends");
        }
        List<Row> rows = table(out, "leaderboard", "trial_id,status");
        assertEquals(6, rows.size(), "every sampled trial ended: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.getString(1).equals("stopped")), "some were stopped: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.getString(1).equals("ok")), "one reached the budget: " + rows);
        List<Row> rungs = table(out, "rungs", "trial_id,rung,decision,checkpoint");
        assertTrue(rungs.stream().anyMatch(r -> r.getString(2).equals("promoted")));
        assertTrue(rungs.size() < 6 * 3, "not every trial trained every rung: " + rungs.size());
        try (Stream<Path> left = Files.walk(out.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(Files::isRegularFile), "the ended trials' checkpoints were deleted");
        }
        assertWholeCurves(out);
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertTrue(again.out().contains("0 to train") || again.out().contains("6 already"), again.out());
        long stopped = rows.stream().filter(r -> r.getString(1).equals("stopped")).count();
        assertTrue(again.out().contains("not in this list (it ranks the trials that finished ok): " + stopped
                + " stopped early by ASHA; see:"), "stopped trials are told apart from failures: " + again.out());
        assertEquals(rungs.size(), table(out, "rungs", "trial_id").size(), "a finished ASHA sweep trains nothing");

        // The same sweep with another budget: its recorded rungs end at 90, not 270. Refused before anything trains
        // (a promoted trial would otherwise be continued past its own budget), one line naming both budgets.
        CliRun longer = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.space.iterations=[270]");
        assertEquals(2, longer.exit(), longer.out());
        assertTrue(longer.err().contains("sweep 'asha-test': ") && longer.err().contains("trained under ASHA to 90"
                + " iterations, but its rungs now end at 270"), longer.err());
        longer.oneLine();
        assertEquals(rungs.size(), table(out, "rungs", "trial_id").size(), "nothing trained");
        assertEquals(6, table(out, "leaderboard", "trial_id").size());
    }

    /**
     * Each trial's curve, as --plot and the report read it, is every segment's points: one per evaluation point from
     * the first to where the trial ended, none twice (each segment commits only its new points, with its rung row).
     */
    private static void assertWholeCurves(Path out) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            dev.sparksweep.leaderboard.LeaderboardStore store = new dev.sparksweep.leaderboard.LeaderboardStore(spark,
                    out.toString());
            dev.sparksweep.leaderboard.LeaderboardQueries queries = new dev.sparksweep.leaderboard.LeaderboardQueries(
                    store);
            List<Row> trials = store.leaderboard().selectExpr("trial_id", "append_id", "iterations_done")
                    .collectAsList();
            boolean severalSegments = false;
            for (Row t : trials) {
                List<Integer> iterations = queries.curve("asha-test", t.getString(0), t.getString(1)).stream()
                        .map(p -> p.<Integer>getAs("iteration")).toList();
                List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, t.getInt(2) / 10)
                        .map(i -> i * 10).boxed().toList();
                assertEquals(expected, iterations, "the whole curve of " + t);
                severalSegments |= t.getInt(2) > 10;
            }
            assertTrue(severalSegments, "some trial trained more than one segment: " + trials);
            assertEquals(trials.stream().mapToInt(t -> t.getInt(2) / 10).sum(), store.curves().count(),
                    "the curves view holds every segment's points once");
        }
    }

    @Test
    void everySeedOfAConfigurationThatCompletesTheBudgetIsCompleted() throws Exception {
        Path file = dir.resolve("seeds.conf");
        Files.writeString(file, """
                sweep {
                  name = asha-seeds
                  search { scheduler = asha, asha { min-iterations = 10, reduction-factor = 3 } }
                  space {
                    family = [gru], layers = [1], hidden = [8], learning-rate = [0.003, 0.03], batch-size = [50]
                    iterations = [30], seed = [1, 2, 3]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 10, eval-batch-size = 300 }
                }
                """);
        Path out = dir.resolve("seeds");
        // One trial at a time: the first trial tops rung 0 and completes, so its configuration completes every seed.
        CliRun run = CliRun.of("run", file.toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("6 trained"), "each trial counted once: " + run.out());
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            dev.sparksweep.leaderboard.LeaderboardStore store = new dev.sparksweep.leaderboard.LeaderboardStore(spark,
                    out.toString());
            List<Row> latest = dev.sparksweep.leaderboard.LeaderboardQueries.ofSweep(store, "asha-seeds")
                    .selectExpr("learning_rate", "status", "iterations_done").collectAsList();
            assertEquals(6, latest.size(), latest.toString());
            Map<Double, List<Row>> byRate = new HashMap<>();
            latest.forEach(r -> byRate.computeIfAbsent(r.getDouble(0), k -> new ArrayList<>()).add(r));
            int completedConfigs = 0;
            for (List<Row> seeds : byRate.values()) {
                if (seeds.stream().anyMatch(r -> r.getString(1).equals("ok"))) {
                    completedConfigs++;
                    assertTrue(seeds.stream().allMatch(r -> r.getString(1).equals("ok") && r.getInt(2) == 30),
                            "a configuration that completed on one seed completed on all three: " + seeds);
                }
            }
            assertTrue(completedConfigs >= 1, latest.toString());
            // A rerun replays stopped seeds with the score they had, not as the worst possible.
            for (var r : new dev.sparksweep.leaderboard.SweepHistory(store, "asha-seeds").rungRecords()) {
                assertTrue(Double.isFinite(r.score()), "every segment ended with a score: " + r);
            }
        }
        try (Stream<Path> left = Files.walk(out.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(Files::isRegularFile), "every configuration decided: no checkpoint left");
        }
    }

    /** Grid, and TPE (as seed-beyond searches): the same three learning rates. */
    @ParameterizedTest
    @ValueSource(strings = {"grid", "tpe"})
    void withFinalistSeedsOnlyTheConfigurationsThatCompleteTrainTheirOtherSeeds(String algorithm) throws Exception {
        Path file = dir.resolve("finalists.conf");
        String rates = algorithm.equals("grid") ? "[0.03, 0.0003, 0.0001]" : "{ choice = [0.03, 0.0003, 0.0001] }";
        String spaceSeeds = algorithm.equals("grid") ? "seed = [1, 2, 3]" : "seed = [42]";
        Files.writeString(file, """
                sweep {
                  name = asha-finalists
                  search { algorithm = %s, trials = 3, seed = 2, seeds = [1, 2, 3], tpe { startup = 2 }
                           scheduler = asha, asha { min-iterations = 10, reduction-factor = 3, other-seeds = finalists } }
                  space {
                    family = [gru], layers = [1], hidden = [8], learning-rate = %s, batch-size = [50]
                    iterations = [30], %s
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 10, eval-batch-size = 300 }
                }
                """.formatted(algorithm, rates, spaceSeeds));
        Path out = dir.resolve("finalists");
        CliRun run = CliRun.of("run", file.toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        // The first line counts every trial there can be (finalists' seeds included) and says which seeds search;
        // the second counts the searched trials and says the finalists' seeds come on top.
        assertTrue(run.out().contains("9 trials on mnist (" + algorithm
                + ", searching on seed 1; seeds 2, 3 for the finalists)"), run.out());
        assertTrue(run.out().contains("(then seeds 2, 3 of each configuration that completes)"), run.out());
        int completed;
        int configurations;
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            dev.sparksweep.leaderboard.LeaderboardStore store = new dev.sparksweep.leaderboard.LeaderboardStore(spark,
                    out.toString());
            List<Row> latest = dev.sparksweep.leaderboard.LeaderboardQueries.ofSweep(store, "asha-finalists")
                    .selectExpr("learning_rate", "seed", "status", "iterations_done").collectAsList();
            Map<Double, List<Row>> byRate = new HashMap<>();
            latest.forEach(r -> byRate.computeIfAbsent(r.getDouble(0), k -> new ArrayList<>()).add(r));
            assertEquals(algorithm.equals("grid") ? 3 : byRate.size(), byRate.size(),
                    "every configuration searched: " + latest);
            completed = 0;
            for (List<Row> seeds : byRate.values()) {
                if (seeds.stream().anyMatch(r -> r.getString(2).equals("ok"))) {
                    completed++;
                    assertEquals(Set.of(1L, 2L, 3L), seeds.stream().map(r -> r.getLong(1))
                            .collect(java.util.stream.Collectors.toSet()), "a finalist on every seed: " + seeds);
                    assertTrue(seeds.stream().allMatch(r -> r.getString(2).equals("ok") && r.getInt(3) == 30),
                            "each completed in full: " + seeds);
                } else {
                    assertEquals(1, seeds.size(), "a configuration stopped on its first seed trains no other: "
                            + seeds);
                    assertEquals(1L, seeds.get(0).getLong(1));
                }
            }
            assertTrue(completed >= 1, latest.toString());
            assertTrue(algorithm.equals("tpe") || completed < 3, "the grid's worst rates stop: " + latest);
            configurations = byRate.size();
            List<Row> notes = store.rungs().filter("rung = 0 AND note IS NOT NULL").selectExpr("note").collectAsList();
            assertEquals(2 * completed, notes.size());
            notes.forEach(n -> assertTrue(n.getString(0).contains("completed the last rung on seed 1"), n.toString()));
        }
        assertTrue(run.out().contains((configurations + 2 * completed) + " trained"), run.out());
        CliRun again = CliRun.of("run", file.toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains(" 0 trained"), "a rerun starts no seed again: " + again.out());
    }
}
