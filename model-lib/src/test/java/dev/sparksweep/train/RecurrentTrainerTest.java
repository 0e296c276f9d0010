package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        assertEquals(a.finalLoss(), b.finalLoss());
        assertEquals(a.finalValidationAccuracy(), b.finalValidationAccuracy());
    }

    @Test
    void aDivergingTrialIsReportedAsDivergedNotThrown() {
        TrialResult r = new RecurrentTrainer().train(ModelSpec.rnn(2, RnnActivation.RELU).withHidden(32),
                new TrainingConfig(200, 50, 1e4, 3, 100, 500, 1), data);
        assertEquals(TrialStatus.DIVERGED, r.status(), "final loss " + r.finalLoss());
        assertTrue(r.error().contains("loss became"), r.error());
        assertTrue(r.iterationsDone() < 200);
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
                new TrainingConfig(1_000_000, 50, 1e-3, 1, 5, 200, 1), data, java.time.Duration.ofSeconds(2));
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
