package dev.sparksweep.schedule;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record a training trial leaves beside its progress checkpoint, and what a rerun finds from it. */
class InterruptedTrialsTest {

    private static final String MNIST = DatasetManifest.of(DatasetName.MNIST).checksum();

    @TempDir
    Path dir;

    private SweepDefinition sweep(int validationSize) throws IOException {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, "sweep { name = s, space { family = [gru, lstm], hidden = [8], learning-rate = [0.003]"
                + ", iterations = [40], seed = [1] }, data { validation-size = " + validationSize + " } }");
        return SweepConfig.load(file.toString(), Map.of()).sweep();
    }

    @Test
    void aRerunFindsTheTrialsLeftTrainingOldestFirstAndSkipsWhatItCannotContinue() throws IOException {
        SweepDefinition sweep = sweep(300);
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Trial gru = trials.get(0);
        Trial lstm = trials.get(1);
        Path progress = dir.resolve("ck");
        InterruptedTrials.mark(progress.resolve(lstm.id()).resolve("progress.ckpt"), lstm);
        Path gruProgress = progress.resolve(gru.id()).resolve("progress.ckpt");
        InterruptedTrials.mark(gruProgress, gru);
        Files.setLastModifiedTime(progress.resolve(lstm.id()).resolve(InterruptedTrials.FILE),
                java.nio.file.attribute.FileTime.fromMillis(1_000));
        // Not trials: an unreadable record, a folder without one, another sweep's file.
        Files.createDirectories(progress.resolve("damaged"));
        Files.writeString(progress.resolve("damaged").resolve(InterruptedTrials.FILE), "family=cnn;hid");
        Files.createDirectories(progress.resolve("rungs-only"));
        Files.writeString(progress.resolve("stray.txt"), "x");

        Map<String, Map<String, Object>> found = InterruptedTrials.find(progress, sweep, MNIST, Set.of());
        assertEquals(List.of(lstm.id(), gru.id()), List.copyOf(found.keySet()), "oldest record first");
        assertEquals(gru.configuration(), found.get(gru.id()));
        assertEquals(Set.of(lstm.id()), InterruptedTrials.find(progress, sweep, MNIST, Set.of(gru.id())).keySet(),
                "a trial known otherwise (finished, or under way by its rung records) is left out");

        // The sweep's data edited since: its trials have other ids, so what is on disk belongs to none of them.
        assertTrue(InterruptedTrials.find(progress, sweep(500), MNIST, Set.of()).isEmpty());
        assertTrue(InterruptedTrials.find(dir.resolve("none"), sweep, MNIST, Set.of()).isEmpty());

        InterruptedTrials.unmark(gruProgress);
        assertFalse(Files.exists(gruProgress.resolveSibling(InterruptedTrials.FILE)));
        assertEquals(Set.of(lstm.id()), InterruptedTrials.find(progress, sweep, MNIST, Set.of()).keySet());
        try (var left = Files.list(progress.resolve(lstm.id()))) {
            assertEquals(List.of(InterruptedTrials.FILE), left.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void onceATrialsRowIsCommittedItsProgressAndRecordGoAndItsFolderIfNothingElseIsThere() throws IOException {
        SweepDefinition sweep = sweep(300);
        Trial trial = SpaceExpander.expand(sweep, MNIST).get(0);
        Path alone = dir.resolve("alone").resolve("progress.ckpt");
        InterruptedTrials.mark(alone, trial);
        Files.writeString(alone, "not a checkpoint: of no use");
        InterruptedTrials.ended(alone, 40);
        assertFalse(Files.exists(alone.getParent()), "nothing else was there");

        Path beside = dir.resolve("asha").resolve("progress.ckpt");
        InterruptedTrials.mark(beside, trial);
        Files.writeString(beside, "x");
        Path rung = Files.writeString(beside.resolveSibling("rung-0.ckpt"), "a kept stopped seed's checkpoint");
        InterruptedTrials.ended(beside, 40);
        try (var left = Files.list(beside.getParent())) {
            assertEquals(List.of(rung), left.toList(), "only the rung checkpoint stays");
        }
    }

    @Test
    void theEndOfARunDeletesWhatAKilledDriverLeftOfTrialsThatHaveTheirRows() throws IOException {
        SweepDefinition sweep = sweep(300);
        List<Trial> trials = SpaceExpander.expand(sweep, MNIST);
        Path root = dir.resolve("progress");
        for (Trial t : trials) {
            Path progress = root.resolve(t.id()).resolve("progress.ckpt");
            InterruptedTrials.mark(progress, t);
            Files.writeString(progress, "saved");
        }
        // The first trial's row was committed, then the driver died before deleting its progress; the second failed
        // (not finished: its retry continues from its progress).
        InterruptedTrials.releaseFinished(root, Set.of(trials.get(0).id()));
        assertFalse(Files.exists(root.resolve(trials.get(0).id())));
        assertTrue(Files.isRegularFile(root.resolve(trials.get(1).id()).resolve("progress.ckpt")));
        assertTrue(Files.isRegularFile(root.resolve(trials.get(1).id()).resolve(InterruptedTrials.FILE)));
    }
}
