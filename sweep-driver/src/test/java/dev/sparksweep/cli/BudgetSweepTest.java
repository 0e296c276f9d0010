package dev.sparksweep.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep over iteration budgets for real (Spark local[2], DL4J on an MNIST slice): with budget chains the longer
 * budget continues the shorter one's checkpoint and records what training it from scratch records, which a second
 * sweep with {@code continue-budgets = false} trains to compare.
 */
class BudgetSweepTest {

    @TempDir
    Path dir;

    private Path sweepFile() throws IOException {
        Path file = dir.resolve("budgets.conf");
        Files.writeString(file, """
                sweep {
                  name = budget-test
                  space {
                    family = [gru]
                    layers = [1]
                    hidden = [16]
                    learning-rate = [0.005]
                    batch-size = [50]
                    iterations = [40, 80]
                    seed = [3]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 20, eval-batch-size = 300, save-models = none }
                }
                """);
        return file;
    }

    private static List<Row> rows(SparkSession spark, Path out, String table, String columns) {
        return spark.read().parquet(out.resolve(table).toString()).selectExpr(columns.split(",")).collectAsList();
    }

    @Test
    void theLongerBudgetContinuesTheShorterOneAndEndsAsTrainingFromScratchDoes() throws IOException {
        Path chained = dir.resolve("chained");
        Path scratch = dir.resolve("scratch");
        CliRun run = CliRun.of("run", sweepFile().toString(), "--master", "local[2]", "--out", chained.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("from iteration 40"), "the line of the continued trial says so: " + run.out());
        CliRun plain = CliRun.of("run", sweepFile().toString(), "--master", "local[2]", "--out", scratch.toString(),
                "-Dsweep.train.continue-budgets=false");
        assertEquals(0, plain.exit(), plain.err());
        assertFalse(plain.out().contains("from iteration"), plain.out());

        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            String columns = "trial_id,iterations,status,continued_from,continued_at,wall_seconds,own_wall_seconds,"
                    + "test_accuracy,best_val_accuracy,iterations_done";
            Map<Integer, Row> a = byBudget(rows(spark, chained, "leaderboard", columns));
            Map<Integer, Row> b = byBudget(rows(spark, scratch, "leaderboard", columns));
            assertEquals(a.get(40).getString(0), b.get(40).getString(0), "the same trials, the same ids");
            assertEquals("ok", a.get(80).getString(2));
            assertNull(a.get(40).get(3), "the shortest budget trains from scratch");
            assertEquals(a.get(40).getString(0), a.get(80).getString(3), "80 continued 40");
            assertEquals(40, a.get(80).getInt(4));
            assertTrue(a.get(80).getDouble(6) < a.get(80).getDouble(5), "its own time is less than its wall time,"
                    + " which includes the 40 iterations it continued: " + a.get(80));
            assertEquals(a.get(80).getDouble(5) - a.get(40).getDouble(5), a.get(80).getDouble(6), 1e-9,
                    "its own time: its wall time less the wall time of the trial it continued");
            assertNull(b.get(80).get(3), "continue-budgets = false trains from scratch");
            assertEquals(b.get(80).getDouble(5), b.get(80).getDouble(6), "from scratch, all of it is its own");
            assertEquals(80, a.get(80).getInt(9));
            // Training straight through and continuing end alike, bit for bit.
            assertEquals(b.get(80).getDouble(7), a.get(80).getDouble(7), "test accuracy");
            assertEquals(b.get(80).getDouble(8), a.get(80).getDouble(8), "best validation");
            assertTrue(a.get(80).getDouble(7) > 0.4, "it learned: " + a.get(80));

            // Its curve is whole: the 40 iterations it continued, then its own.
            String id = a.get(80).getString(0);
            List<Row> curve = rows(spark, chained, "curves", "trial_id,iteration,loss").stream()
                    .filter(r -> r.getString(0).equals(id)).sorted((x, y) -> Integer.compare(x.getInt(1),
                            y.getInt(1))).toList();
            List<Row> straight = rows(spark, scratch, "curves", "trial_id,iteration,loss").stream()
                    .filter(r -> r.getString(0).equals(id)).sorted((x, y) -> Integer.compare(x.getInt(1),
                            y.getInt(1))).toList();
            assertEquals(List.of(20, 40, 60, 80), curve.stream().map(r -> r.getInt(1)).toList());
            for (int i = 0; i < curve.size(); i++) {
                assertEquals(straight.get(i).getDouble(2), curve.get(i).getDouble(2),
                        "loss at " + curve.get(i).getInt(1));
            }
        }
        // The report counts the compute each trial cost itself, and what continuing saved.
        Path html = dir.resolve("report.html");
        CliRun report = CliRun.of("report", "--out", chained.toString(), "--html", html.toString());
        assertEquals(0, report.exit(), report.err());
        assertTrue(Files.readString(html).contains("less than training every budget from scratch"),
                "the saving is reported");
        try (Stream<Path> left = Files.walk(chained.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(Files::isRegularFile), "the chain ended: its checkpoint was deleted");
        }
    }

    private static Map<Integer, Row> byBudget(List<Row> rows) {
        assertEquals(2, rows.size(), rows.toString());
        return rows.stream().collect(Collectors.toMap(r -> r.getInt(1), Function.identity()));
    }
}
