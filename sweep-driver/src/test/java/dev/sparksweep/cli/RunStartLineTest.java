package dev.sparksweep.cli;

import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The search as the run's first line names it, for the kinds of seed lists a sweep can have. */
class RunStartLineTest {

    @TempDir
    Path dir;

    private SweepDefinition sweep(String body) throws IOException {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, "sweep { " + body + " }");
        return SweepConfig.load(file.toString(), Map.of()).sweep();
    }

    @Test
    void aGridWhoseSeedsDependOnTheFamilyIsNamedWithoutReadingItsSeedList() throws IOException {
        assertEquals("grid", RunCommand.searchInWords(sweep("space { family = [lstm, gru], hidden = [8],"
                + " iterations = [10], seed { lstm = [1, 2], gru = [3] } }")));
    }

    @Test
    void finalistSeedsAreNamedApartFromTheSeedTheSearchRunsOn() throws IOException {
        assertEquals("tpe, searching on seed 1; seeds 2, 3 for the finalists", RunCommand.searchInWords(sweep(
                "search { algorithm = tpe, trials = 4, seeds = [1, 2, 3], scheduler = asha,"
                        + " asha { min-iterations = 10, other-seeds = finalists } },"
                        + " space { family = [gru], hidden = { choice = [8, 16] }, iterations = [90] }")));
        assertEquals("grid", RunCommand.searchInWords(sweep("search { scheduler = asha, asha { min-iterations = 10 } },"
                + " space { family = [gru], hidden = [8, 16], iterations = [90], seed = [1, 2] }")),
                "every seed searches: nothing more to say");
    }
}
