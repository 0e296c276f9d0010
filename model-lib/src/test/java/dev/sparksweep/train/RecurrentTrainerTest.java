package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short real trainings on a slice of real MNIST. */
class RecurrentTrainerTest {

    private static DatasetSplits data;

    @BeforeAll
    static void load() {
        data = TestData.mnist(new SplitSpec(1000, 5000, 1000, true));
    }

    @Test
    void anLstmLearnsFarBeyondChance() {
        TrialResult r = new RecurrentTrainer().train(ModelSpec.lstm(1).withHidden(32),
                new TrainingConfig(150, 50, 5e-3, 1, 50, 500, 1), data);
        assertEquals(TrialStatus.OK, r.status(), String.valueOf(r.error()));
        assertNull(r.error());
        assertTrue(r.bestValidationAccuracy() > 0.6, "chance is 0.1, got " + r.bestValidationAccuracy());
        assertTrue(r.testAccuracy() > 0.6, "test accuracy " + r.testAccuracy());
        assertEquals(150, r.iterationsDone());
        assertEquals(3, r.curve().size(), "validated at 50, 100, 150");
        assertEquals(50, r.curve().get(0).iteration());
        assertTrue(r.curve().get(2).loss() < r.curve().get(0).loss(), "loss falls: " + r.curve());
        assertEquals(4 * 32 * (28 + 32 + 1) + 32 * 10 + 10, r.parameterCount());
        assertTrue(r.iterationsPerSecond() > 0 && r.wallSeconds() >= r.trainSeconds());
    }

    @Test
    void ourGruLearnsToo() {
        TrialResult r = new RecurrentTrainer().train(ModelSpec.gru(1).withHidden(32),
                new TrainingConfig(150, 50, 5e-3, 2, 150, 500, 1), data);
        assertEquals(TrialStatus.OK, r.status(), String.valueOf(r.error()));
        assertTrue(r.bestValidationAccuracy() > 0.6, "chance is 0.1, got " + r.bestValidationAccuracy());
    }

    @Test
    void theSameSeedGivesTheSameTraining() {
        ModelSpec spec = ModelSpec.rnn(1, RnnActivation.TANH).withHidden(16);
        TrainingConfig config = new TrainingConfig(30, 20, 1e-3, 5, 30, 500, 1);
        TrialResult a = new RecurrentTrainer().train(spec, config, data);
        TrialResult b = new RecurrentTrainer().train(spec, config, data);
        // Bit for bit: the first run trains partly before the JIT compiles the fused kernels, the second after, and
        // the kernels compute the same bits either way (ReproducibleVectorMath).
        assertEquals(a.curve(), b.curve());
        assertEquals(a.finalLoss(), b.finalLoss());
        assertEquals(a.finalValidationAccuracy(), b.finalValidationAccuracy());
        assertEquals(a.testAccuracy(), b.testAccuracy());
    }

    @Test
    void aDivergingTrialIsReportedAsDivergedNotThrown() {
        TrialResult r = new RecurrentTrainer().train(ModelSpec.rnn(2, RnnActivation.RELU).withHidden(32),
                new TrainingConfig(200, 50, 1e4, 3, 100, 500, 1), data);
        assertEquals(TrialStatus.DIVERGED, r.status(), "final loss " + r.finalLoss());
        assertTrue(r.error().contains("loss became"), r.error());
        assertTrue(r.iterationsDone() < 200);
    }

    /**
     * A far too large learning rate saturates the softmax: DL4J's clipped cross-entropy then stays near 20, finite,
     * with chance accuracy. Any rate from about 10 up does it to both cell types (1e9 as well); the rule must catch it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentCells")
    void aFarTooLargeLearningRateIsDivergedEarlyThoughItsLossStaysFinite(ModelSpec spec) {
        TrainingConfig config = new TrainingConfig(500, 50, 1e9, 7, 10, 500, 1);
        List<Integer> seen = new ArrayList<>();

        TrialResult r = new RecurrentTrainer().train(spec, config, data, StopRules.DEFAULT, (i, budget) -> {
            assertEquals(500, budget);
            seen.add(i);
        });

        assertEquals(TrialStatus.DIVERGED, r.status(), "curve " + r.curve());
        assertEquals(20, r.iterationsDone(), "windows 1-10 and 11-20 both far above the start: patience 2 is met");
        assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), seen, "the listener saw every iteration");
        assertEquals(List.of(10, 20), r.curve().stream().map(CurvePoint::iteration).toList(), "the curve so far");
        assertTrue(r.curve().stream().allMatch(p -> Double.isFinite(p.loss()) && p.loss() > 2 * Math.log(10)),
                "finite, yet far above a fresh classifier's ln 10: " + r.curve());
        double startingLoss = new RecurrentTrainer().train(spec, new TrainingConfig(1, 50, 1e9, 7, 1, 500, 1), data)
                .finalLoss();
        double lastWindow = r.curve().get(1).loss();
        String expected = String.format(Locale.ROOT, "mean training loss %.4g of the window ending at iteration 20"
                + " is %.3g x the starting loss %.4g (iteration 1), above the limit of 2.0 x for 2 evaluations in a row"
                + " (learning rate 1.0E9)", lastWindow, lastWindow / startingLoss, startingLoss);
        assertEquals(expected, r.error());
        assertTrue(Double.isNaN(r.testAccuracy()), "a diverged model is not tested");
    }

    @Test
    void patienceCountsEvaluationsInARowAndZeroTurnsTheRuleOff() {
        ModelSpec spec = ModelSpec.rnn(1, RnnActivation.TANH).withHidden(16);
        TrainingConfig config = new TrainingConfig(60, 50, 1e9, 7, 10, 500, 1);

        TrialResult patient = new RecurrentTrainer().train(spec, config, data,
                new StopRules(Duration.ZERO, 2.0, 3), IterationListener.NONE);
        TrialResult off = new RecurrentTrainer().train(spec, config, data,
                new StopRules(Duration.ZERO, 2.0, 0), IterationListener.NONE);

        assertEquals(TrialStatus.DIVERGED, patient.status());
        assertEquals(30, patient.iterationsDone());
        assertTrue(patient.error().contains("for 3 evaluations in a row"), patient.error());
        assertEquals(TrialStatus.OK, off.status(), "the old rule alone: only NaN or infinity is divergence");
        assertEquals(60, off.iterationsDone());
        assertTrue(off.curve().stream().allMatch(p -> p.loss() > 2 * Math.log(10)),
                "yet far above: " + off.curve());
        assertTrue(off.bestValidationAccuracy() < 0.3, "chance is 0.1, got " + off.bestValidationAccuracy());
    }

    /** Sensible training must never trip the default rule, even checked at every tenth iteration. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentCells")
    void theDefaultRulesLetANormalLearningRateTrainToTheEnd(ModelSpec spec) {
        List<int[]> seen = new ArrayList<>();
        TrialResult r = new RecurrentTrainer().train(spec, new TrainingConfig(200, 50, 1e-3, 3, 10, 500, 1), data,
                StopRules.DEFAULT, (i, budget) -> seen.add(new int[] {i, budget}));

        assertEquals(TrialStatus.OK, r.status(), String.valueOf(r.error()));
        assertEquals(200, r.iterationsDone());
        assertEquals(20, r.curve().size());
        assertEquals(IntStream.rangeClosed(1, 200).boxed().toList(), seen.stream().map(p -> p[0]).toList());
        assertTrue(seen.stream().allMatch(p -> p[1] == 200), "the budget with every call");
    }

    static Stream<ModelSpec> recurrentCells() {
        return Stream.of(ModelSpec.rnn(1, RnnActivation.TANH).withHidden(16), ModelSpec.lstm(1).withHidden(16));
    }

    @Test
    void aTrialThatCannotRunIsReportedAsFailed() {
        Images none = data.train().head(0);
        DatasetSplits empty = new DatasetSplits(data.dataset(), data.checksum(), none, data.validation(),
                data.test());
        TrialResult r = new RecurrentTrainer().train(ModelSpec.lstm(1).withHidden(8),
                new TrainingConfig(10, 10, 1e-3, 1, 10, 100, 1), empty);
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().contains("training split is empty"), r.error());
    }

    @Test
    void withoutAValidationSplitTheCurveStillRecordsLoss() {
        DatasetSplits noValidation = TestData.mnist(new SplitSpec(0, 2000, 500, true));
        assertEquals(0, noValidation.validation().count());
        TrialResult r = new RecurrentTrainer().train(ModelSpec.rnn(1, RnnActivation.TANH).withHidden(16),
                new TrainingConfig(20, 20, 1e-3, 1, 10, 500, 1), noValidation);
        assertEquals(TrialStatus.OK, r.status());
        assertTrue(Double.isNaN(r.bestValidationAccuracy()));
        assertEquals(2, r.curve().size());
        assertTrue(Double.isFinite(r.curve().get(1).loss()));
        assertTrue(r.testAccuracy() >= 0);
    }

    @Test
    void aTrialPastItsTimeLimitStopsAndKeepsWhatItMeasured() {
        long start = System.nanoTime();
        TrialResult r = new RecurrentTrainer().train(ModelSpec.lstm(1).withHidden(32),
                new TrainingConfig(1_000_000, 50, 1e-3, 1, 5, 200, 1), data, Duration.ofSeconds(2));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(TrialStatus.TIMED_OUT, r.status(), String.valueOf(r.error()));
        assertTrue(r.error().contains("time limit of 2 s"), r.error());
        assertTrue(r.iterationsDone() > 0 && r.iterationsDone() < 1_000_000, "done " + r.iterationsDone());
        assertTrue(!r.curve().isEmpty() && r.bestValidationAccuracy() > 0, "kept the curve: " + r.curve());
        assertTrue(Double.isNaN(r.testAccuracy()), "the final model was never tested");
        assertTrue(seconds < 30, "stopped soon after the limit, took " + seconds + " s");
    }

    @Test
    void aModelThatCannotFitInMemoryFailsBeforeAllocatingIt() {
        long start = System.nanoTime();
        TrialResult r = new RecurrentTrainer().train(ModelSpec.lstm(2).withHidden(40_000),
                new TrainingConfig(10, 100, 1e-3, 1, 10, 100, 1), data);
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().contains("lstm-2x40000 needs at least") && r.error().contains("spark.executor.memory"),
                r.error());
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "refused up front, not after allocating");
    }
}
