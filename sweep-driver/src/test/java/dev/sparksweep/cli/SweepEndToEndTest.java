package dev.sparksweep.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path for real: a sweep file, Spark in local[2], DL4J training on a slice of real MNIST, Parquet tables
 * read back with Spark SQL, and a rerun that trains nothing new.
 */
class SweepEndToEndTest {

    @TempDir
    Path dir;

    /** A separate session to read the tables back, as a user's own Spark SQL would. */
    private static SparkSession session() {
        return SparkSession.builder().master("local[1]").appName("check").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    private Path sweepFile(String name, String space) throws IOException {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, """
                sweep {
                  name = %s
                  space { %s }
                  data { validation-size = 500, train-limit = 2000, test-limit = 500 }
                  train { eval-every = 75, eval-batch-size = 250 }
                }
                """.formatted(name, space));
        return file;
    }

    @Test
    void aSweepLandsInTheLeaderboardAndARerunTrainsNothingNew() throws IOException {
        Path out = dir.resolve("results");
        Path sweep = sweepFile("e2e", """
                family = [rnn, lstm, gru]
                layers = [1]
                hidden = [32]
                activation = [tanh]
                learning-rate = [0.01]
                batch-size = [50]
                iterations = [150]
                seed = [7]
                """);
        CliRun first = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsparksweep.progress-interval=2s");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("3 to train"), first.out());
        assertTrue(first.out().contains("top 10 trials"), first.out());

        Map<String, Object> finished = new HashMap<>();
        try (SparkSession spark = session()) {
            spark.read().parquet(out.resolve("leaderboard").toString()).createOrReplaceTempView("leaderboard");
            spark.read().parquet(out.resolve("curves").toString()).createOrReplaceTempView("curves");
            List<Row> rows = spark.sql("SELECT trial_id, family, status, best_val_accuracy, test_accuracy, "
                    + "iterations_done, param_count, dataset_checksum, dl4j_version, spark_version, finished_at "
                    + "FROM leaderboard ORDER BY family").collectAsList();
            assertEquals(3, rows.size());
            assertEquals(List.of("gru", "lstm", "rnn"), rows.stream().map(r -> r.getString(1)).toList());
            for (Row r : rows) {
                assertEquals("ok", r.getString(2));
                // Clear learning, far above chance (0.1), so that broken training fails here.
                assertTrue(r.getDouble(3) > 0.5 && r.getDouble(3) <= 1.0, "validation accuracy " + r.getDouble(3));
                assertTrue(r.getDouble(4) > 0.5 && r.getDouble(4) <= 1.0, "test accuracy " + r.getDouble(4));
                assertEquals(150, r.getInt(5));
                assertTrue(r.getLong(6) > 0);
                assertEquals(64, r.getString(7).length());
                assertEquals("1.0.0-M2.1", r.getString(8));
                assertTrue(r.getString(9).startsWith("3.5"), r.getString(9));
            }
            // Typed columns, as the schema promises.
            var schema = spark.table("leaderboard").schema();
            assertEquals(DataTypes.DoubleType, schema.apply("learning_rate").dataType());
            assertEquals(DataTypes.IntegerType, schema.apply("layers").dataType());
            assertEquals(DataTypes.TimestampType, schema.apply("started_at").dataType());
            // Learning curves: points at iterations 75 and 150 for every trial.
            Map<String, Long> points = spark.sql("SELECT trial_id, count(*) FROM curves GROUP BY trial_id")
                    .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
            assertEquals(3, points.size());
            assertTrue(points.values().stream().allMatch(n -> n == 2), points.toString());
            rows.forEach(r -> finished.put(r.getString(0), r.get(10)));
        }

        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("3 already in the leaderboard, 0 to train"), again.out());
        try (SparkSession spark = session()) {
            List<Row> after = spark.read().parquet(out.resolve("leaderboard").toString())
                    .select("trial_id", "finished_at").collectAsList();
            assertEquals(3, after.size(), "the rerun added no rows");
            after.forEach(r -> assertEquals(finished.get(r.getString(0)), r.get(1), "row untouched"));
        }

        CliRun query = CliRun.of("leaderboard", "--out", out.toString(), "--sql",
                "SELECT family, count(*) AS n FROM leaderboard GROUP BY family ORDER BY family");
        assertEquals(0, query.exit(), query.err());
        assertTrue(query.out().contains("gru") && query.out().contains("(3 rows)"), query.out());

        Path png = dir.resolve("plots").resolve("curves.png");
        CliRun plot = CliRun.of("leaderboard", "--out", out.toString(), "--sweep", "e2e", "--plot", png.toString());
        assertEquals(0, plot.exit(), plot.err());
        assertTrue(plot.out().contains("learning curves of 3 trial(s)"), plot.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() > 1000 && image.getHeight() > 400, "a readable PNG");
    }

    @Test
    void aDivergingTrialBecomesARowAndTheSweepGoesOn() throws IOException {
        Path out = dir.resolve("results");
        Path sweep = sweepFile("wild", """
                family = [rnn]
                layers = [2]
                hidden = [32]
                activation = [relu]
                learning-rate = [10000, 0.005]
                batch-size = [50]
                iterations = [60]
                seed = [3]
                """);
        CliRun run = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        try (SparkSession spark = session()) {
            Map<Double, Row> byRate = spark.read().parquet(out.resolve("leaderboard").toString())
                    .select("learning_rate", "status", "error", "iterations_done").collectAsList().stream()
                    .collect(Collectors.toMap(r -> r.getDouble(0), r -> r));
            assertEquals("diverged", byRate.get(10000.0).getString(1));
            assertTrue(byRate.get(10000.0).getString(2).contains("loss became"), byRate.get(10000.0).getString(2));
            assertTrue(byRate.get(10000.0).getInt(3) < 60);
            assertEquals("ok", byRate.get(0.005).getString(1));
        }
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString());
        assertTrue(again.out().contains("0 to train"), "a diverged trial is final: " + again.out());
    }

    @Test
    void aTrialPastTheTimeLimitIsRecordedAsTimedOutAndTheSweepGoesOn() throws IOException {
        Path out = dir.resolve("results");
        Path sweep = sweepFile("limited", """
                family = [lstm]
                layers = [1]
                hidden = [16]
                learning-rate = [0.005]
                batch-size = [50]
                iterations = [30, 1000000]
                seed = [3]
                """);
        CliRun run = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=3s");
        assertEquals(0, run.exit(), run.err());
        try (SparkSession spark = session()) {
            spark.read().parquet(out.resolve("leaderboard").toString()).createOrReplaceTempView("leaderboard");
            spark.read().parquet(out.resolve("curves").toString()).createOrReplaceTempView("curves");
            Map<Integer, Row> byBudget = spark.sql("SELECT iterations, status, error, iterations_done, "
                            + "time_limit_seconds, device, gpu_address, executor_heap_mb, executor_process_mb, "
                            + "trial_id, best_val_accuracy FROM leaderboard").collectAsList().stream()
                    .collect(Collectors.toMap(r -> r.getInt(0), r -> r));
            Row slow = byBudget.get(1_000_000);
            assertEquals("timed-out", slow.getString(1));
            assertTrue(slow.getString(2).contains("time limit of 3 s"), slow.getString(2));
            assertTrue(slow.getInt(3) > 0 && slow.getInt(3) < 1_000_000, "stopped after " + slow.getInt(3));
            assertEquals(3L, slow.getLong(4));
            assertTrue(slow.getDouble(10) > 0.1, "what it measured before the limit is kept");
            long points = spark.sql("SELECT count(*) FROM curves WHERE trial_id = '" + slow.getString(9) + "'")
                    .first().getLong(0);
            assertTrue(points > 0, "its partial learning curve is kept");
            Row quick = byBudget.get(30);
            assertEquals("ok", quick.getString(1));
            for (Row r : byBudget.values()) {
                assertEquals("cpu", r.getString(5), "no GPU assigned in local mode");
                assertTrue(r.isNullAt(6));
                assertTrue(r.getDouble(7) > 1 && r.getDouble(8) > r.getDouble(7), "memory recorded: " + r);
            }
        }
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=3s");
        assertTrue(again.out().contains("2 already in the leaderboard, 0 to train"), again.out());
        CliRun retried = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=2s", "--retry", "timed-out");
        assertEquals(0, retried.exit(), retried.err());
        assertTrue(retried.out().contains("1 already in the leaderboard, 1 to train"), retried.out());
        CliRun wrong = CliRun.of("run", sweep.toString(), "--out", out.toString(), "--retry", "failed");
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("always retried"), wrong.err());
    }

    @Test
    void aTpeSweepTrainsAgainTheTrialsRetryNames() throws IOException {
        Path out = dir.resolve("results");
        Path sweep = dir.resolve("sampled-limited.conf");
        Files.writeString(sweep, """
                sweep {
                  name = sampled-limited
                  search { algorithm = tpe, trials = 1, seed = 5, seeds = [3] }
                  space { family = [lstm], layers = [1], hidden = [16], learning-rate = { choice = [0.005] }
                          batch-size = [50], iterations = [1000000] }
                  data { validation-size = 500, train-limit = 2000, test-limit = 500 }
                  train { eval-every = 75, eval-batch-size = 250, save-models = none }
                }
                """);
        CliRun run = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=2s");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains(": 1 trained (1 not ok)"), run.out());
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=2s");
        assertTrue(again.out().contains(": 0 trained"), "timed-out is final: " + again.out());
        // TPE does not propose a configuration it has seen: the retry must come from the leaderboard.
        CliRun retried = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=2s", "--retry", "timed-out");
        assertEquals(0, retried.exit(), retried.err());
        assertTrue(retried.out().contains(": 1 trained (1 not ok)"), retried.out());
        try (SparkSession spark = session()) {
            List<Long> attempts = spark.read().parquet(out.resolve("leaderboard").toString()).groupBy("trial_id")
                    .count().collectAsList().stream().map(r -> r.getLong(1)).toList();
            assertEquals(List.of(2L), attempts, "one trial, trained twice");
        }
    }

    @Test
    void anAshaSweepTrainsAgainFromScratchTheTrialsRetryNames() throws IOException {
        Path out = dir.resolve("results");
        Path sweep = dir.resolve("asha-limited.conf");
        Files.writeString(sweep, """
                sweep {
                  name = asha-limited
                  search { scheduler = asha, asha { min-iterations = 10, reduction-factor = 3 } }
                  space { family = [lstm], layers = [1], hidden = [16], learning-rate = [0.005], batch-size = [50]
                          iterations = [1000000], seed = [3] }
                  data { validation-size = 500, train-limit = 2000, test-limit = 500 }
                  train { eval-every = 10, eval-batch-size = 250, save-models = none }
                }
                """);
        CliRun run = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=3s");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains(": 1 trained (1 not ok)"), run.out());
        CliRun retried = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=3s", "--retry", "timed-out");
        assertEquals(0, retried.exit(), retried.err());
        assertTrue(retried.out().contains(": 1 trained (1 not ok)"), "trained again: " + retried.out());
        try (SparkSession spark = session()) {
            List<Row> rows = spark.read().parquet(out.resolve("leaderboard").toString())
                    .selectExpr("status").collectAsList();
            assertEquals(2, rows.size(), "one trial, two attempts: " + rows);
            rows.forEach(r -> assertEquals("timed-out", r.getString(0)));
            List<Row> rungRows = spark.read().parquet(out.resolve("rungs").toString()).collectAsList();
            assertEquals(2, rungRows.stream().filter(r -> r.<Integer>getAs("rung") == 0).count(),
                    "the retry started again at rung 0");
            List<Row> latest = dev.sparksweep.leaderboard.SweepHistory.latestAttempts(rungRows);
            assertEquals(1, latest.stream().filter(r -> r.<Integer>getAs("rung") == 0).count(),
                    "replays and the report read the latest attempt only: " + latest);
            assertTrue(latest.size() < rungRows.size());
        }
        Path html = dir.resolve("asha-limited.html");
        CliRun report = CliRun.of("report", "--out", out.toString(), "--sweep", "asha-limited", "--html",
                html.toString());
        assertEquals(0, report.exit(), report.err());
        String page = Files.readString(html);
        assertTrue(page.contains("ASHA rungs") && page.contains("How far each configuration got"), page);
        CliRun again = CliRun.of("run", sweep.toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.time-limit=3s");
        assertTrue(again.out().contains(": 0 trained"), "timed-out is final without --retry: " + again.out());
    }

    @Test
    void badInputFailsBeforeSparkStartsWithAClearMessage() throws IOException {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "sweep { space { layers = [0] } }\n");
        CliRun run = CliRun.of("run", bad.toString(), "--out", dir.resolve("r").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("sweep.space.layers") && run.err().contains("bad.conf"), run.err());
        assertTrue(!Files.exists(dir.resolve("r")), "nothing was written");
        CliRun unknown = CliRun.of("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("'frobnicate'"), unknown.err());
    }
}
