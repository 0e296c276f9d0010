package dev.sparksweep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real sweeps into one results folder (Spark local[2], DL4J on an MNIST slice), the second's space holding the
 * first's: the shared trials are trained once, by the first, and the second counts them as its own in its rankings,
 * statistics and report (as the study's Exercise 3 shares its centre configurations with Exercise 2).
 */
class SharedTrialsTest {

    @TempDir
    Path dir;

    private Path sweepFile(String name, String learningRates) throws IOException {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, """
                sweep {
                  name = %s
                  space {
                    family = [gru], layers = [1], hidden = [16]
                    learning-rate = %s, batch-size = [50], iterations = [30], seed = [1, 2]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 15, eval-batch-size = 300, save-models = none }
                }
                """.formatted(name, learningRates));
        return file;
    }

    @Test
    void aSweepCountsTheTrialsItSharesWithTheSweepThatTrainedThem() throws IOException {
        Path out = dir.resolve("results");
        String results = out.toString();
        CliRun first = CliRun.of("run", sweepFile("narrow", "[0.005]").toString(), "--master", "local[2]", "--out",
                results);
        assertEquals(0, first.exit(), first.err());
        Path wide = sweepFile("wide", "[0.005, 0.02]");
        CliRun second = CliRun.of("run", wide.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("4 trials, 2 already in the leaderboard, 2 to train"), second.out());
        assertTrue(second.out().contains("2 of the trials already in the leaderboard were trained by another sweep"),
                second.out());

        // Its configurations: both learning rates over both seeds, the shared one included.
        CliRun byConfig = CliRun.of("leaderboard", "--out", results, "--sweep", "wide", "--by", "config");
        assertEquals(0, byConfig.exit(), byConfig.err());
        assertEquals(2, configIds(byConfig.out()), byConfig.out());
        assertEquals(4, count(byConfig.out(), "(n=2)"), "each (validation, test) over its two seeds: " + byConfig.out());
        CliRun narrowConfigs = CliRun.of("leaderboard", "--out", results, "--sweep", "narrow", "--by", "config");
        assertEquals(1, configIds(narrowConfigs.out()), "the first sweep is as it was: " + narrowConfigs.out());
        CliRun top = CliRun.of("leaderboard", "--out", results, "--sweep", "wide", "--top", "10");
        assertEquals(4, count(top.out(), "| gru-1x16 "), "its four trials: " + top.out());

        // The raw tables: each trial once, under the sweep that trained it; the sharing in its own table.
        CliRun raw = CliRun.of("leaderboard", "--out", results, "--sql",
                "SELECT sweep, count(*) AS n FROM leaderboard GROUP BY sweep ORDER BY sweep");
        assertTrue(hasLine(raw.out(), "narrow +\\| 2") && hasLine(raw.out(), "wide +\\| 2"), raw.out());
        CliRun members = CliRun.of("leaderboard", "--out", results, "--sql",
                "SELECT sweep, trained_by, count(*) AS n FROM members GROUP BY sweep, trained_by");
        assertTrue(hasLine(members.out(), "wide +\\| narrow +\\| 2"), members.out());

        // A rerun trains nothing and records nothing twice.
        CliRun again = CliRun.of("run", wide.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("4 already in the leaderboard, 0 to train"), again.out());
        assertFalse(again.out().contains("trained by another sweep"), again.out());
        CliRun membersAgain = CliRun.of("leaderboard", "--out", results, "--sql", "SELECT count(*) AS n FROM members");
        assertTrue(hasLine(membersAgain.out(), "2"), membersAgain.out());

        // The report of the wider sweep names both configurations and says which sweep trained what.
        Path html = dir.resolve("wide.html");
        CliRun report = CliRun.of("report", "--out", results, "--sweep", "wide", "--html", html.toString());
        assertEquals(0, report.exit(), report.err());
        String page = Files.readString(html);
        Matcher ids = Pattern.compile("\\| ([0-9a-f]{16}) \\|").matcher(byConfig.out());
        while (ids.find()) {
            assertTrue(page.contains(ids.group(1)), "the report names configuration " + ids.group(1));
        }
        assertTrue(page.contains("narrow (2), wide (2)"), "which sweep trained how many of its trials");
        assertTrue(page.contains("from 4 trials"), "all four counted");
        assertTrue(page.contains("by the sweeps that trained its shared trials (this sweep: "),
                "the compute says how much the shared trials cost another sweep");
    }

    @Test
    void aTpeSweepAdoptsTheProposedTrialsAnotherSweepTrainedAndLearnsFromThem() throws IOException {
        Path out = dir.resolve("results");
        String results = out.toString();
        CliRun grid = CliRun.of("run", sweepFile("grid", "[0.02]").toString(), "--master", "local[2]", "--out",
                results);
        assertEquals(0, grid.exit(), grid.err());
        Path sampled = dir.resolve("sampled.conf");
        Files.writeString(sampled, """
                sweep {
                  name = sampled
                  search { algorithm = tpe, trials = 1, seed = 3, seeds = [1, 2] }
                  space {
                    family = [gru], layers = [1], hidden = [16]
                    learning-rate = { choice = [0.02] }, batch-size = [50], iterations = [30]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 15, eval-batch-size = 300, save-models = none }
                }
                """);
        CliRun tpe = CliRun.of("run", sampled.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, tpe.exit(), tpe.err());
        assertEquals(2, count(tpe.out(), "was trained by another sweep; it counts as this sweep's too"), tpe.out());
        assertTrue(tpe.out().contains(": 0 trained (0 not ok), 2 skipped as already finished"),
                "its one configuration was trained on both seeds, and the summary counts them: " + tpe.out());
        CliRun byConfig = CliRun.of("leaderboard", "--out", results, "--sweep", "sampled", "--by", "config");
        assertEquals(1, configIds(byConfig.out()), byConfig.out());
        assertEquals(2, count(byConfig.out(), "(n=2)"), byConfig.out());
        CliRun members = CliRun.of("leaderboard", "--out", results, "--sql",
                "SELECT sweep, trained_by, count(*) AS n FROM members GROUP BY sweep, trained_by");
        assertTrue(hasLine(members.out(), "sampled +\\| grid +\\| 2"), members.out());

        // A rerun refits from the adopted trials: nothing proposed, trained or recorded again.
        CliRun again = CliRun.of("run", sampled.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, again.exit(), again.err());
        assertFalse(again.out().contains("trained by another sweep"), again.out());
        assertTrue(again.out().contains(": 0 trained (0 not ok), 2 skipped as already finished"), again.out());
        CliRun membersAgain = CliRun.of("leaderboard", "--out", results, "--sql", "SELECT count(*) AS n FROM members");
        assertTrue(hasLine(membersAgain.out(), "2"), membersAgain.out());
    }

    /**
     * Under ASHA with {@code other-seeds = finalists}, a first-seed trial that another sweep trained to its whole
     * budget has completed the last rung: its configuration's later seeds are trained (grid) or adopted (TPE), as if
     * it had completed here.
     */
    @Test
    void anAdoptedCompleteTrialMakesItsConfigurationAFinalistWhoseLaterSeedsAreTrained() throws IOException {
        String results = dir.resolve("results").toString();
        Path single = dir.resolve("single.conf");
        Files.writeString(single, finalistSweep("single", "", "learning-rate = [0.02], seed = [1]"));
        CliRun fifo = CliRun.of("run", single.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, fifo.exit(), fifo.err());

        Path grid = dir.resolve("grid.conf");
        Files.writeString(grid, finalistSweep("asha-grid", "scheduler = asha, asha { min-iterations = 10, "
                + "other-seeds = finalists }", "learning-rate = [0.02], seed = [1, 2]"));
        CliRun ashaGrid = CliRun.of("run", grid.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, ashaGrid.exit(), ashaGrid.err());
        assertTrue(ashaGrid.out().contains("1 of the trials already in the leaderboard were trained by another sweep"),
                ashaGrid.out());
        assertTrue(ashaGrid.out().contains(": 1 trained (0 not ok), 1 skipped as already finished"),
                "seed 2 trained: " + ashaGrid.out());
        CliRun rungs = CliRun.of("leaderboard", "--out", results, "--sql",
                "SELECT sweep, rung, decision FROM rungs ORDER BY rung");
        assertTrue(hasLine(rungs.out(), "asha-grid +\\| 0 +\\| promoted")
                && hasLine(rungs.out(), "asha-grid +\\| 1 +\\| completed"), rungs.out());
        CliRun gridConfigs = CliRun.of("leaderboard", "--out", results, "--sweep", "asha-grid", "--by", "config");
        assertEquals(2, count(gridConfigs.out(), "(n=2)"), "both seeds of the finalist: " + gridConfigs.out());

        Path tpe = dir.resolve("tpe.conf");
        Files.writeString(tpe, finalistSweep("asha-tpe", "algorithm = tpe, trials = 1, seed = 3, seeds = [1, 2], "
                + "scheduler = asha, asha { min-iterations = 10, other-seeds = finalists }",
                "learning-rate = { choice = [0.02] }"));
        CliRun ashaTpe = CliRun.of("run", tpe.toString(), "--master", "local[2]", "--out", results);
        assertEquals(0, ashaTpe.exit(), ashaTpe.err());
        assertEquals(2, count(ashaTpe.out(), "was trained by another sweep; it counts as this sweep's too"),
                "seed 1 from the first sweep, seed 2 from the grid: " + ashaTpe.out());
        assertTrue(ashaTpe.out().contains(": 0 trained (0 not ok), 2 skipped as already finished"),
                "both seeds adopted as it went, and counted: " + ashaTpe.out());
        CliRun tpeConfigs = CliRun.of("leaderboard", "--out", results, "--sweep", "asha-tpe", "--by", "config");
        assertEquals(2, count(tpeConfigs.out(), "(n=2)"), tpeConfigs.out());

        // Reruns, and a second grid sweep whose trials were all trained elsewhere: each trial counted once.
        CliRun tpeAgain = CliRun.of("run", tpe.toString(), "--master", "local[2]", "--out", results);
        assertTrue(tpeAgain.out().contains(": 0 trained (0 not ok), 2 skipped as already finished"), tpeAgain.out());
        Path grid2 = dir.resolve("grid2.conf");
        Files.writeString(grid2, Files.readString(grid).replace("asha-grid", "asha-grid2"));
        CliRun second = CliRun.of("run", grid2.toString(), "--master", "local[2]", "--out", results);
        assertTrue(second.out().contains(": 0 trained (0 not ok), 2 skipped as already finished"), second.out());
    }

    private static String finalistSweep(String name, String search, String varied) {
        return """
                sweep {
                  name = %s
                  search { %s }
                  space { family = [gru], layers = [1], hidden = [16], batch-size = [50], iterations = [30], %s }
                  data { validation-size = 300, train-limit = 1000, test-limit = 300 }
                  train { eval-every = 15, eval-batch-size = 300, save-models = none }
                }
                """.formatted(name, search, varied);
    }

    /** Whether a line of a printed table is exactly {@code regex} (trailing blanks aside). */
    private static boolean hasLine(String table, String regex) {
        return table.lines().anyMatch(l -> l.stripTrailing().matches(regex));
    }

    private static int configIds(String table) {
        return count(table, Pattern.compile("\\| [0-9a-f]{16} \\|"));
    }

    private static int count(String text, String literal) {
        return count(text, Pattern.compile(Pattern.quote(literal)));
    }

    private static int count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
