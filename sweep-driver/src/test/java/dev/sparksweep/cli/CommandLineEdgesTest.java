package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsCommitTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line at its edges, on a real results folder: options that belong to another command, paths that cannot
 * serve, queries that would write, queries that fail, damaged files. Every refusal is one line on standard error with
 * the right exit code, and nothing is trained or changed.
 */
class CommandLineEdgesTest {

    @TempDir
    Path dir;
    Path results;

    @BeforeEach
    void threeRows() {
        results = dir.resolve("results");
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("rows")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            LeaderboardStore store = new LeaderboardStore(spark, results.toString());
            for (long seed = 1; seed <= 3; seed++) {
                store.append("edges", ResultsCommitTest.distinctOutcome(seed));
            }
        }
    }

    @Test
    void optionsOfAnotherCommandAreRefusedWithASuggestion() {
        CliRun sqlOnRun = CliRun.of("run", "quick", "--sql", "SELECT 1");
        assertEquals(2, sqlOnRun.exit());
        assertTrue(sqlOnRun.err().contains("--sql"), sqlOnRun.err());
        assertTrue(sqlOnRun.err().contains("sparksweep run --help"), sqlOnRun.err());
        CliRun masterOnLeaderboard = CliRun.of("leaderboard", "--out", results.toString(), "--master", "local[2]");
        assertEquals(2, masterOnLeaderboard.exit());
        assertTrue(masterOnLeaderboard.err().contains("--master"), masterOnLeaderboard.err());
        CliRun typo = CliRun.of("leaderboard", "--out", results.toString(), "--swep", "x");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("did you mean: --sweep"), typo.err());
        // Retrying ASHA's stopped trials under ASHA would stop them again: refused, with the way to do it.
        Path unwritten = dir.resolve("never");
        CliRun stoppedUnderAsha = CliRun.of("run", "seed-study-asha", "--retry", "stopped", "--out",
                unwritten.toString());
        assertEquals(2, stoppedUnderAsha.exit());
        assertTrue(stoppedUnderAsha.err().contains("--retry stopped")
                && stoppedUnderAsha.err().contains("-Dsweep.search.scheduler=fifo"), stoppedUnderAsha.err());
        assertEquals(1, stoppedUnderAsha.err().strip().lines().count(), stoppedUnderAsha.err());
        assertFalse(Files.exists(unwritten), "checked before anything starts");
        CliRun help = CliRun.of("leaderboard", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--quarantine") && !help.out().contains("--master"), help.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "leaderboard", "report", "refit", "evaluate", "predict", "fetch-data"})
    void everyCommandsHelpRendersWithoutWarnings(String command) {
        // picocli formats descriptions: a bare '%' (as in "95 %") makes it warn on the console and print raw text.
        PrintStream console = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        CliRun help;
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            help = CliRun.of(command, "--help");
        } finally {
            System.setErr(console);
        }
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("Usage: sparksweep " + command), help.out());
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli's warnings on the console");
    }

    @Test
    void anOutputFolderThatCannotTakeResultsStopsTheRunBeforeAnyTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path tableIsFile = dir.resolve("table-is-file");
        Files.createDirectories(tableIsFile);
        Files.writeString(tableIsFile.resolve("curves"), "x");
        for (Path out : List.of(file, tableIsFile, Path.of("/proc/sparksweep-cannot-write-here"))) {
            CliRun run = CliRun.of("run", "quick", "--out", out.toString(), "-Dsweep.data.train-limit=500");
            assertEquals(2, run.exit(), out + ": " + run.err());
            run.oneLine();
            assertTrue(run.err().contains(out.toString()), run.err());
            assertFalse(run.out().contains("to train"), "no trial was even planned to run: " + run.out());
        }
    }

    @Test
    void aTpeSearchOverTheTrialLimitIsRefusedBeforeSparkStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("big-tpe.conf"), """
                sweep { name = big-tpe, search { algorithm = tpe, trials = 200 }, max-trials = 500
                        space { family = [gru], learning-rate = { log-uniform = [1e-4, 1e-2] }, seed = [1, 2, 3] } }
                """);
        Path out = dir.resolve("never-written");
        CliRun run = CliRun.of("run", file.toString(), "--out", out.toString());
        assertEquals(2, run.exit(), run.err());
        run.oneLine();
        assertTrue(run.err().contains("sweep.max-trials") && run.err().contains("600"), run.err());
        assertFalse(Files.exists(out), "refused before the results folder (or Spark, or the data) was touched");
    }

    @Test
    void theLeaderboardOfAFolderThatHasNoneIsAnErrorNotAnEmptyTable() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        for (Path out : List.of(file, empty, dir.resolve("missing"))) {
            CliRun run = CliRun.of("leaderboard", "--out", out.toString());
            assertEquals(2, run.exit(), run.err());
            run.oneLine();
            assertTrue(run.err().contains(out.toString()), run.err());
        }
        assertFalse(Files.exists(dir.resolve("missing")), "reading created nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT OVERWRITE DIRECTORY '%s/leaderboard' USING parquet SELECT * FROM leaderboard WHERE false",
            "INSERT INTO leaderboard SELECT * FROM leaderboard",
            "CREATE TABLE t USING parquet LOCATION '%s/elsewhere' AS SELECT 1 AS x",
            "WITH x AS (SELECT 1) INSERT OVERWRITE DIRECTORY '%s/elsewhere' SELECT * FROM x",
            "CACHE TABLE leaderboard",
            "SET spark.sql.ansi.enabled = true",
            "DROP VIEW leaderboard",
            "EXPLAIN INSERT INTO leaderboard SELECT * FROM leaderboard"})
    void aQueryThatWouldWriteIsRefusedAndChangesNothing(String statement) throws IOException {
        CliRun run = CliRun.of("leaderboard", "--out", results.toString(), "--sql", statement.formatted(dir));
        assertEquals(2, run.exit(), run.err());
        run.oneLine();
        assertTrue(run.err().contains("read-only"), run.err());
        assertFalse(Files.exists(dir.resolve("elsewhere")));
        CliRun count = CliRun.of("leaderboard", "--out", results.toString(), "--sql", "SELECT count(*) AS n FROM leaderboard");
        assertEquals(0, count.exit(), count.err());
        assertTrue(count.out().contains("\n3\n"), "every row is still there: " + count.out());
    }

    @Test
    void queriesOfEveryReadingKindRun() {
        for (String query : List.of("SELECT sweep, count(*) FROM leaderboard GROUP BY sweep",
                "WITH t AS (SELECT trial_id FROM leaderboard) SELECT count(*) FROM t", "VALUES (1, 'a'), (2, 'b')",
                "DESCRIBE leaderboard", "SHOW TABLES", "EXPLAIN SELECT * FROM curves",
                "SELECT * FROM leaderboard l JOIN curves c USING (sweep, trial_id)")) {
            CliRun run = CliRun.of("leaderboard", "--out", results.toString(), "--sql", query);
            assertEquals(0, run.exit(), query + ": " + run.err());
        }
    }

    @Test
    void configurationsRankOverTheirSeedsWithIntervals() {
        CliRun byConfig = CliRun.of("leaderboard", "--out", results.toString(), "--by", "config");
        assertEquals(0, byConfig.exit(), byConfig.err());
        // The three rows are one configuration on seeds 1-3, all with validation accuracy 0.61.
        assertTrue(byConfig.out().contains("61.00 +- 0.00 (n=3)") && byConfig.out().contains("best"), byConfig.out());
        CliRun view = CliRun.of("leaderboard", "--out", results.toString(), "--sql", "SELECT n, trials FROM configs");
        assertEquals(0, view.exit(), view.err());
        assertTrue(view.out().contains("3 | 3"), view.out());
        CliRun wrong = CliRun.of("leaderboard", "--out", results.toString(), "--by", "seed");
        assertEquals(2, wrong.exit());
    }

    @Test
    void aFailedQueryPutsSparksMessageOnTheFirstLine() {
        CliRun unknownColumn = CliRun.of("leaderboard", "--out", results.toString(), "--sql", "SELECT nosuch FROM leaderboard");
        assertEquals(2, unknownColumn.exit());
        unknownColumn.oneLine();
        assertTrue(unknownColumn.err().contains("nosuch") && unknownColumn.err().contains("UNRESOLVED_COLUMN"),
                unknownColumn.err());
        CliRun syntax = CliRun.of("leaderboard", "--out", results.toString(), "--sql", "SELEKT 1");
        assertEquals(2, syntax.exit());
        syntax.oneLine();
        assertTrue(syntax.err().contains("PARSE_SYNTAX_ERROR"), syntax.err());
        // Fails while running, not while parsing: Spark's checked SparkException.
        CliRun running = CliRun.of("leaderboard", "--out", results.toString(), "--sql",
                "SELECT raise_error(concat('boom-', trial_id)) FROM leaderboard");
        assertEquals(1, running.exit());
        running.oneLine();
        assertTrue(running.err().contains("boom-"), running.err());
        CliRun reflect = CliRun.of("leaderboard", "--out", results.toString(), "--sql",
                "SELECT reflect('java.lang.System', 'getProperty', 'user.home')");
        assertEquals(2, reflect.exit(), "reflect: " + reflect.err());
        reflect.oneLine();
    }

    @Test
    void aDamagedFileIsNamedCheckedAndQuarantinedThroughTheCommandLine() throws IOException {
        Path victim;
        try (Stream<Path> files = Files.list(results.resolve("leaderboard"))) {
            victim = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().findFirst()
                    .orElseThrow();
        }
        Files.writeString(victim, "garbage", java.nio.file.StandardOpenOption.APPEND);
        Files.deleteIfExists(victim.resolveSibling("." + victim.getFileName() + ".crc"));

        CliRun top = CliRun.of("leaderboard", "--out", results.toString());
        assertEquals(1, top.exit());
        top.oneLine();
        assertTrue(top.err().contains(victim.getFileName().toString()) && top.err().contains("--quarantine"),
                top.err());
        CliRun rerun = CliRun.of("run", "quick", "--out", results.toString());
        assertEquals(1, rerun.exit(), "a rerun does not silently retrain around a damaged file: " + rerun.err());
        rerun.oneLine();
        assertTrue(rerun.err().contains(victim.getFileName().toString()), rerun.err());

        CliRun check = CliRun.of("leaderboard", "--out", results.toString(), "--check");
        assertEquals(1, check.exit());
        assertTrue(check.out().contains("damaged: ") && check.out().contains(victim.getFileName().toString()),
                check.out());
        CliRun quarantine = CliRun.of("leaderboard", "--out", results.toString(), "--quarantine");
        assertEquals(0, quarantine.exit(), quarantine.err());
        assertTrue(Files.exists(results.resolve("_quarantine/leaderboard").resolve(victim.getFileName())));
        assertEquals(0, CliRun.of("leaderboard", "--out", results.toString(), "--check").exit());
        CliRun after = CliRun.of("leaderboard", "--out", results.toString(), "--sql", "SELECT count(*) AS n FROM leaderboard");
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.out().contains("\n2\n"), after.out());
    }
}
