package dev.sparksweep.search;

import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.search.params.Space;
import dev.sparksweep.search.sampling.Tpe;
import dev.sparksweep.search.sampling.UnitPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search spaces as data: declarations, domains, and the random, Sobol and TPE samplers (no training here). */
class SearchSpaceTest {

    private static final String MNIST = DatasetManifest.of(DatasetName.MNIST).checksum();

    @TempDir
    Path dir;

    private SweepDefinition sweep(String text) throws IOException {
        Path file = dir.resolve("s" + System.nanoTime() + ".conf");
        Files.writeString(file, text);
        return SweepConfig.load(file.toString(), Map.of()).sweep();
    }

    private static List<String> ids(List<Trial> trials) {
        return trials.stream().map(Trial::id).toList();
    }

    /** Ids issued before the parameters were declared as data (checked out and printed from the earlier code). */
    @Test
    void theReadySweepsKeepTheirCountsAndTrialIds() {
        Map<String, Integer> sizes = Map.of("quick", 4, "seed-exercise2", 22, "seed-exercise3", 54, "seed-exercise4", 8,
                "parity", 6);
        for (var e : sizes.entrySet()) {
            assertEquals(e.getValue(), SpaceExpander.expand(SweepConfig.load(e.getKey(), Map.of()).sweep(), MNIST)
                    .size(), e.getKey());
        }
        assertEquals(Set.of("c7a91bb4451adfcc", "617a15210b3516ed", "965028e1a54ec53b", "f5070ef82a5ce5fe"),
                new HashSet<>(ids(SpaceExpander.expand(SweepConfig.load("quick", Map.of()).sweep(), MNIST))));
        List<String> exercise2 = ids(SpaceExpander.expand(SweepConfig.load("seed-exercise2", Map.of()).sweep(),
                MNIST));
        for (String id : List.of("56b753c3c04cea67", "250ffba86b7601f3", "c8d7cfcffdfbc7fa", "439e7fd0a3465679",
                "f84fde5e68da56ec")) {
            assertTrue(exercise2.contains(id), id);
        }
        List<String> exercise3 = ids(SpaceExpander.expand(SweepConfig.load("seed-exercise3", Map.of()).sweep(),
                MNIST));
        assertTrue(exercise3.contains("3e51e28418e638c2") && exercise3.contains("0b0f0a4c3b4e2c30"));
        List<String> parity = ids(SpaceExpander.expand(SweepConfig.load("parity", Map.of()).sweep(), MNIST));
        assertTrue(parity.contains("f50c1505a6fe24b4") && parity.contains("f6863c9e48a4becb"));
        SweepDefinition search = SweepConfig.load("seed-search", Map.of()).sweep();
        assertEquals(SearchSettings.Algorithm.TPE, search.search().algorithm());
        assertEquals(40, SpaceExpander.plannedSize(search));
        SweepDefinition beyond = SweepConfig.load("seed-beyond", Map.of()).sweep();
        assertEquals(72, SpaceExpander.plannedSize(beyond), "24 configurations x 3 seeds");
        assertEquals(java.util.List.of(1L), SpaceExpander.searchSeeds(beyond), "finalists alone train seeds 2 and 3");
        assertEquals(java.util.List.of(2000, 6000, 18000), dev.sparksweep.search.scheduling.Rungs.of(
                beyond.search().asha().minIterations(), beyond.search().asha().maxIterations(),
                beyond.search().asha().reductionFactor()).iterations());
        SweepDefinition study = SweepConfig.load("seed-study-asha", Map.of()).sweep();
        assertEquals(SearchSettings.Scheduler.ASHA, study.search().scheduler());
        assertEquals(180, SpaceExpander.plannedSize(study), "60 configurations x 3 seeds");
        assertEquals(java.util.List.of(222, 666, 1998, 6000), dev.sparksweep.search.scheduling.Rungs.of(
                study.search().asha().minIterations(), study.search().asha().maxIterations(),
                study.search().asha().reductionFactor()).iterations());
    }

    @Test
    void aNewHyperparameterAtItsDefaultKeepsTheIdAndOtherwiseChangesItAndConfigIdsGroupSeeds() throws IOException {
        String base = "sweep { space { family = [lstm], layers = [2], hidden = [16], iterations = [10], seed = [1, 2]%s } }";
        List<Trial> plain = SpaceExpander.expand(sweep(base.formatted("")), MNIST);
        List<Trial> explicit = SpaceExpander.expand(sweep(base.formatted(", dropout = [0.0], optimizer = [adam],"
                + " lr-schedule = [constant], clip-norm = [0], bias-init = [dl4j], augment-shift = [0]")), MNIST);
        assertEquals(ids(plain), ids(explicit), "defaults written out leave ids alone");
        List<Trial> dropped = SpaceExpander.expand(sweep(base.formatted(", dropout = [0.3]")), MNIST);
        assertNotEquals(ids(plain).get(0), ids(dropped).get(0));
        assertTrue(dropped.get(0).canonical().endsWith(";dropout=0.3"), dropped.get(0).canonical());
        assertEquals(plain.get(0).configId(), plain.get(1).configId(), "seeds share a config id");
        assertNotEquals(plain.get(0).id(), plain.get(1).id());
        assertNotEquals(plain.get(0).configId(), dropped.get(0).configId());
        List<Trial> shifted = SpaceExpander.expand(sweep(base.formatted(", augment-shift = [2]")), MNIST);
        assertTrue(shifted.get(0).canonical().endsWith(";augment_shift=2"), shifted.get(0).canonical());
        assertEquals(2, shifted.get(0).training().augmentation().maxShift(), "the shift reaches the trainer");
    }

    @Test
    void conditionalParametersOnlyMultiplyWhereTheyApply() throws IOException {
        SweepDefinition def = sweep("""
                sweep { space {
                  family = [rnn, lstm], layers { rnn = [1, 2], lstm = [1] }, activation = [tanh, relu]
                  optimizer = [adam, sgd], momentum = [0.5, 0.9], iterations = [10]
                } }""");
        // rnn: 2 depths x 2 activations, lstm: 1 = 5 models; adam: 1, sgd: 2 momenta = 3 optimizer settings.
        assertEquals(15, SpaceExpander.expand(def, MNIST).size());
        assertEquals(15, SpaceExpander.plannedSize(def));
    }

    @Test
    void domainsAndDistributionsAreValidatedWithTheKeyAndValue() throws IOException {
        assertRejected("learning-rate = { log-uniform = [0, 0.01] }", "learning-rate", "must be > 0");
        assertRejected("optimizer = [adamw], weight-decay = { log-uniform = [0, 0.1] }", "weight-decay", "logarithm");
        assertRejected("learning-rate = { uniform = [0.1, 0.01] }", "learning-rate", "low < high");
        assertRejected("hidden = { uniform = [16, 64] }", "hidden", "int = [low, high]");
        assertRejected("learning-rate = { int = [1, 3] }", "learning-rate", "log-uniform");
        assertRejected("dropout = [1.5]", "dropout", "<= 0.95");
        assertRejected("optimizer = [adagrad]", "optimizer", "adamw");
        assertRejected("hiden = [16]", "hiden", "did you mean hidden");
        assertRejected("hidden = { int = [64, 512], log = yes }", "hidden.log", "log must be true or false");
        SweepConfigException grid = assertThrows(SweepConfigException.class,
                () -> sweep("sweep { space { learning-rate = { log-uniform = [1e-4, 1e-2] } } }"));
        assertTrue(grid.getMessage().contains("sweep.search.algorithm = random, sobol or tpe"), grid.getMessage());
    }

    private void assertRejected(String space, String key, String why) {
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> sweep(
                "sweep { search { algorithm = random }, space { " + space + " } }"), space);
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains(".conf"), "names the file: " + e.getMessage());
    }

    private static final String SAMPLED = """
            sweep {
              search { algorithm = %s, trials = %d, seed = 7, seeds = [1, 2] }
              space {
                family = { choice = [rnn, lstm, gru] }
                layers = { int = [1, 3] }
                hidden = { int = [16, 256], log = true }
                learning-rate = { log-uniform = [1e-4, 1e-2] }
                dropout = { uniform = [0, 0.5] }
                iterations = [20]
              }
            }""";

    @Test
    void randomAndSobolAreReproducibleInsideTheirBoundsAndExtendable() throws IOException {
        for (String algorithm : List.of("random", "sobol")) {
            List<Trial> first = SpaceExpander.expand(sweep(SAMPLED.formatted(algorithm, 12)), MNIST);
            List<Trial> again = SpaceExpander.expand(sweep(SAMPLED.formatted(algorithm, 12)), MNIST);
            List<Trial> more = SpaceExpander.expand(sweep(SAMPLED.formatted(algorithm, 20)), MNIST);
            assertEquals(24, first.size(), algorithm + ": 12 configurations x 2 seeds");
            assertEquals(ids(first), ids(again), algorithm + " is a function of the sweep file");
            assertEquals(ids(first), ids(more).subList(0, 24), algorithm + ": more trials extend the same sequence");
            for (Trial t : first) {
                assertTrue(t.training().learningRate() >= 1e-4 && t.training().learningRate() <= 1e-2);
                assertTrue(t.model().hidden() >= 16 && t.model().hidden() <= 256);
                assertTrue(t.model().layers() >= 1 && t.model().layers() <= 3);
                assertTrue(t.model().dropout() >= 0 && t.model().dropout() <= 0.5);
                assertTrue(t.model().layers() > 1 || t.model().dropout() == 0, "no dropout for one layer");
                assertTrue(Set.of(1L, 2L).contains(t.training().seed()));
            }
            assertTrue(first.stream().map(t -> t.model().family()).distinct().count() == 3, algorithm);
        }
    }

    /** Centred L2 discrepancy (Hickernell 1998): lower is more even. */
    static double discrepancy(List<double[]> points) {
        int n = points.size();
        int d = points.get(0).length;
        double a = Math.pow(13.0 / 12, d);
        double b = 0;
        double c = 0;
        for (double[] x : points) {
            double prod = 1;
            for (double v : x) {
                double z = Math.abs(v - 0.5);
                prod *= 1 + 0.5 * z - 0.5 * z * z;
            }
            b += prod;
            for (double[] y : points) {
                double p = 1;
                for (int k = 0; k < d; k++) {
                    p *= 1 + 0.5 * Math.abs(x[k] - 0.5) + 0.5 * Math.abs(y[k] - 0.5) - 0.5 * Math.abs(x[k] - y[k]);
                }
                c += p;
            }
        }
        return Math.sqrt(a - 2.0 / n * b + c / ((double) n * n));
    }

    @Test
    void sobolCoversTheSpaceMoreEvenlyThanRandom() {
        double sobol = 0;
        double random = 0;
        for (long seed = 0; seed < 10; seed++) {
            List<double[]> s = new ArrayList<>();
            List<double[]> r = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                s.add(new UnitPoints.Sobol(seed, 4).point(i));
                r.add(new UnitPoints.Uniform(seed, 4).point(i));
            }
            sobol += discrepancy(s);
            random += discrepancy(r);
        }
        assertTrue(sobol < 0.7 * random, "mean discrepancy sobol " + sobol / 10 + " vs random " + random / 10);
    }

    /** A cheap objective with its optimum at lr 3e-3, hidden 128 and gru, and a failure region. */
    private static double objective(Map<String, Object> c) {
        double lr = Math.log10((Double) c.get("learning-rate"));
        double hidden = Math.log(((Number) c.get("hidden")).doubleValue()) / Math.log(2);
        if (lr > -1.2) {
            return Double.NaN; // diverged
        }
        return 1 - 0.1 * Math.pow(lr + 2.5, 2) - 0.02 * Math.pow(hidden - 7, 2)
                + ("gru".equals(c.get("family")) ? 0.05 : 0);
    }

    @Test
    void tpeFindsBetterConfigurationsThanRandomOnACheapObjective() throws IOException {
        Space space = sweep("""
                sweep { search { algorithm = tpe }, space {
                  family = { choice = [rnn, lstm, gru] }, hidden = { int = [8, 1024], log = true }
                  learning-rate = { log-uniform = [1e-5, 1] }
                } }""").space();
        double tpeTotal = 0;
        double randomTotal = 0;
        int runs = 8;
        int budget = 40;
        for (long seed = 0; seed < runs; seed++) {
            Tpe tpe = new Tpe(space, seed, 10, 24);
            List<Tpe.Observation> seen = new ArrayList<>();
            double bestTpe = Double.NEGATIVE_INFINITY;
            double bestRandom = Double.NEGATIVE_INFINITY;
            UnitPoints uniform = new UnitPoints.Uniform(seed + 1000, space.sampled().size());
            for (int i = 0; i < budget; i++) {
                Map<String, Object> c = tpe.propose(seen, List.of(), 1);
                double y = objective(c);
                seen.add(new Tpe.Observation(c, y));
                bestTpe = Double.isNaN(y) ? bestTpe : Math.max(bestTpe, y);
                double r = objective(space.at(uniform.point(i), 1));
                bestRandom = Double.isNaN(r) ? bestRandom : Math.max(bestRandom, r);
            }
            tpeTotal += bestTpe;
            randomTotal += bestRandom;
        }
        assertTrue(tpeTotal / runs > randomTotal / runs, "mean best: tpe " + tpeTotal / runs + ", random "
                + randomTotal / runs);
        // Closer to the optimum (1.05) by a clear margin, not by noise.
        assertTrue(1.05 - tpeTotal / runs < 0.7 * (1.05 - randomTotal / runs), "tpe " + tpeTotal / runs
                + " random " + randomTotal / runs);
    }

    @Test
    void tpeProposalsRespectConditionsAndDomains() throws IOException {
        Space space = sweep("""
                sweep { search { algorithm = tpe }, space {
                  family = [rnn, lstm], activation = [tanh, relu], optimizer = [adam, sgd]
                  momentum = { uniform = [0.5, 0.99] }, learning-rate = { log-uniform = [1e-4, 1e-1] }
                } }""").space();
        Tpe tpe = new Tpe(space, 3, 5, 24);
        List<Tpe.Observation> seen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> c = tpe.propose(seen, List.of(), 9);
            assertEquals(9L, c.get("seed"));
            assertEquals("rnn".equals(c.get("family")), c.get("activation") != null, c.toString());
            assertEquals("sgd".equals(c.get("optimizer")), c.get("momentum") != null, c.toString());
            double lr = (Double) c.get("learning-rate");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, c.toString());
            seen.add(new Tpe.Observation(c, "sgd".equals(c.get("optimizer")) ? 0.9 : 0.5));
        }
        long sgdLate = seen.subList(20, 30).stream().filter(o -> "sgd".equals(o.configuration().get("optimizer")))
                .count();
        assertTrue(sgdLate >= 7, "TPE learns that sgd scores better: " + sgdLate + " of the last 10");
        assertTrue(Params.ALL.size() == space.domains().size());
    }

    @Test
    void aTpeRerunProposesExactlyTheConfigurationsAKilledRunHadNotStarted() throws IOException {
        SweepDefinition sweep = sweep("""
                sweep { search { algorithm = tpe, trials = 6, seed = 2, tpe { startup = 10 } }, space {
                  family = [rnn, lstm], learning-rate = { log-uniform = [1e-4, 1e-1] }, iterations = [50]
                } }""");
        // The first run: four trials started, two ended (in the leaderboard), two under way (ASHA rung records).
        TpeTrials first = new TpeTrials(sweep, MNIST, List.of(), Set.of());
        List<Work> started = List.of(first.next().orElseThrow(), first.next().orElseThrow(),
                first.next().orElseThrow(), first.next().orElseThrow());
        List<Tpe.Observation> history = List.of(
                new Tpe.Observation(started.get(0).trial().configuration(), 0.5),
                new Tpe.Observation(started.get(1).trial().configuration(), 0.6));
        Map<String, Map<String, Object>> underWay = new LinkedHashMap<>();
        started.subList(2, 4).forEach(w -> underWay.put(w.trial().id(), w.trial().configuration()));
        Set<String> startedIds = started.stream().map(w -> w.trial().id()).collect(Collectors.toSet());

        TpeTrials rerun = new TpeTrials(sweep, MNIST, history, startedIds, underWay, Map.of(), SharedResults.NONE);
        assertEquals(2, rerun.remaining(), "6 configurations, 4 already proposed");
        List<Work> fresh = List.of(rerun.next().orElseThrow(), rerun.next().orElseThrow());
        assertTrue(rerun.next().isEmpty());
        for (Work w : fresh) {
            assertFalse(startedIds.contains(w.trial().id()), "not one the first run started: " + w.trial().id());
        }
        assertNotEquals(fresh.get(0).trial().id(), fresh.get(1).trial().id());

        // A trial that ends twice (ASHA stopped it, then completed it with its configuration's other seeds) is one
        // observation, its latest.
        Work w = fresh.get(0);
        rerun.finished(w, okResult(0.7));
        rerun.finished(w, okResult(0.9));
        List<Tpe.Observation> seen = rerun.observations();
        assertEquals(3, seen.size(), "the two from the leaderboard and this trial once: " + seen);
        assertEquals(0.9, seen.get(2).score(), 1e-12);
    }

    @Test
    void aTpeRerunTrainsAgainTheTrialsThatFailedAndTheirResultReplacesTheFailure() throws IOException {
        SweepDefinition sweep = sweep("""
                sweep { search { algorithm = tpe, trials = 3, seed = 4, seeds = [1, 2] }, space {
                  family = [rnn, lstm], learning-rate = { log-uniform = [1e-4, 1e-1] }, iterations = [50]
                } }""");
        TpeTrials first = new TpeTrials(sweep, MNIST, List.of(), Set.of());
        List<Trial> ran = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ran.add(first.next().orElseThrow().trial());
        }
        // In the leaderboard: the first configuration on both seeds, the first seed failed; the second configuration
        // on both seeds, finished.
        List<Tpe.Observation> history = ran.stream()
                .map(t -> new Tpe.Observation(t.configuration(), t == ran.get(0) ? Double.NaN : 0.5)).toList();
        Set<String> finished = ran.subList(1, 4).stream().map(Trial::id).collect(Collectors.toSet());

        TpeTrials rerun = new TpeTrials(sweep, MNIST, history, finished, Map.of(), Map.of(), SharedResults.NONE);
        assertEquals(1 + 2, rerun.remaining(), "the failed trial, then the third configuration on two seeds");
        Work retried = rerun.next().orElseThrow();
        assertEquals(ran.get(0).id(), retried.trial().id(), "the failed trial first, under its own id");
        rerun.finished(retried, okResult(0.8));
        List<Tpe.Observation> seen = rerun.observations();
        assertEquals(4, seen.size(), "its result replaces the failure: " + seen);
        assertEquals(0.8, seen.get(0).score(), 1e-12);
        Set<String> fresh = new HashSet<>();
        rerun.next().ifPresent(w -> fresh.add(w.trial().id()));
        rerun.next().ifPresent(w -> fresh.add(w.trial().id()));
        assertTrue(rerun.next().isEmpty());
        assertEquals(2, fresh.size());
        fresh.forEach(id -> assertFalse(ran.stream().anyMatch(t -> t.id().equals(id)), "a new configuration: " + id));
    }

    @Test
    void aTpeRerunTrainsFirstTheTrialsAKilledRunLeftTrainingAndEverySeedOfTheirConfigurations() throws IOException {
        SweepDefinition sweep = sweep("""
                sweep { search { algorithm = tpe, trials = 4, seed = 3, seeds = [1, 2], tpe { startup = 1 } }, space {
                  family = [rnn, lstm], learning-rate = { log-uniform = [1e-4, 1e-1] }, iterations = [50]
                } }""");
        // The killed run: the first configuration finished on both seeds; the second was training on seed 1 (its
        // progress saved), its seed 2 still queued.
        TpeTrials first = new TpeTrials(sweep, MNIST, List.of(), Set.of());
        Trial a1 = first.next().orElseThrow().trial();
        Trial a2 = first.next().orElseThrow().trial();
        first.finished(Work.whole(a1), okResult(0.9));
        first.finished(Work.whole(a2), okResult(0.8));
        Trial b1 = first.next().orElseThrow().trial();
        Trial b2 = first.next().orElseThrow().trial();
        assertEquals(b1.configuration().get("learning-rate"), b2.configuration().get("learning-rate"));
        List<Tpe.Observation> history = List.of(new Tpe.Observation(a1.configuration(), 0.9),
                new Tpe.Observation(a2.configuration(), 0.8));
        Set<String> finished = Set.of(a1.id(), a2.id());

        TpeTrials rerun = new TpeTrials(sweep, MNIST, history, finished, Map.of(), Map.of(b1.id(), b1.configuration()),
                SharedResults.NONE);
        assertEquals(2 + 2 * 2, rerun.remaining(), "the interrupted configuration on both seeds, then two new ones");
        assertEquals(b1.id(), rerun.next().orElseThrow().trial().id(), "the interrupted trial first, same id");
        assertEquals(b2.id(), rerun.next().orElseThrow().trial().id(), "then its configuration's other seed");
        Set<String> fresh = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            fresh.add(rerun.next().orElseThrow().trial().id());
        }
        assertTrue(rerun.next().isEmpty(), "4 configurations in all");
        assertFalse(fresh.contains(b1.id()) || fresh.contains(b2.id()) || fresh.contains(a1.id()));

        // Without the record of the interrupted trial, a configuration the run finished on one seed only still gets
        // its other seed.
        TpeTrials oneSeed = new TpeTrials(sweep, MNIST, history.subList(0, 1), Set.of(a1.id()), Map.of(), Map.of(),
                SharedResults.NONE);
        assertEquals(a2.id(), oneSeed.next().orElseThrow().trial().id());
    }

    @Test
    void tpeOverASmallSpaceOfListsProposesEveryConfigurationBeforeRepeatingAny() throws IOException {
        for (long seed = 0; seed < 5; seed++) {
            SweepDefinition sweep = sweep("""
                    sweep { search { algorithm = tpe, trials = 6, seed = %d, tpe { startup = 2 } }, space {
                      family = [rnn, lstm, gru], layers = [1, 2], iterations = [50]
                    } }""".formatted(seed));
            TpeTrials tpe = new TpeTrials(sweep, MNIST, List.of(), Set.of());
            Set<String> proposed = new HashSet<>();
            for (Optional<Work> w = tpe.next(); w.isPresent(); w = tpe.next()) {
                proposed.add(w.get().trial().configId());
                tpe.finished(w.get(), okResult(0.5 + proposed.size() / 100.0));
            }
            assertEquals(6, proposed.size(), "all 6 configurations, seed " + seed);
        }
        // More trials than the space holds: it still ends, with every configuration once.
        SweepDefinition small = sweep("""
                sweep { search { algorithm = tpe, trials = 4, seed = 1 }, space {
                  family = [rnn, lstm], iterations = [50]
                } }""");
        TpeTrials tpe = new TpeTrials(small, MNIST, List.of(), Set.of());
        int trained = 0;
        for (Optional<Work> w = tpe.next(); w.isPresent(); w = tpe.next()) {
            trained++;
            tpe.finished(w.get(), okResult(0.5));
        }
        assertEquals(2, trained);
    }

    @Test
    void aTpeProposalAnotherSweepTrainedIsAdoptedAndLearnedFromNotTrainedOrDropped() throws IOException {
        SweepDefinition sweep = sweep("""
                sweep { search { algorithm = tpe, trials = 1, seed = 1, seeds = [1, 2] }, space {
                  family = [gru], learning-rate = [0.01], iterations = [50]
                } }""");
        TpeTrials alone = new TpeTrials(sweep, MNIST, List.of(), Set.of());
        Set<String> ids = Set.of(alone.next().orElseThrow().trial().id(), alone.next().orElseThrow().trial().id());
        assertTrue(alone.next().isEmpty());

        // Another sweep finished the one configuration's first seed: it is adopted, the second seed trained.
        String shared = ids.stream().sorted().findFirst().orElseThrow();
        List<String> adopted = new ArrayList<>();
        TpeTrials withShared = new TpeTrials(sweep, MNIST, List.of(), Set.of(shared), Map.of(), Map.of(), id -> {
            adopted.add(id);
            return java.util.Optional.of(new SharedResults.Adopted(0.75, true, true));
        });
        Work trained = withShared.next().orElseThrow();
        assertEquals(List.of(shared), withShared.drainAdoptedComplete().stream().map(Trial::id).toList(),
                "ASHA learns that the adopted trial trained its whole budget");
        assertTrue(withShared.drainAdoptedComplete().isEmpty(), "once");
        assertTrue(withShared.next().isEmpty());
        assertEquals(List.of(shared), adopted);
        assertNotEquals(shared, trained.trial().id());
        assertEquals(List.of(0.75), withShared.observations().stream().map(Tpe.Observation::score).toList(),
                "TPE learns from the adopted trial's score");
    }

    private static dev.sparksweep.train.TrialResult okResult(double validation) {
        return new dev.sparksweep.train.TrialResult(dev.sparksweep.train.TrialStatus.OK, null, validation, 50,
                validation, validation, 0.5, List.of(), 50, 1, 1, 50, 100, 1);
    }
}
