package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short real trials on MNIST: every new hyperparameter reaches the trainer and changes how it trains. */
class HyperparameterTrainingTest {

    private static final ModelSpec SPEC = ModelSpec.lstm(2).withHidden(16);
    private static final TrainingConfig BASE = new TrainingConfig(12, 20, 3e-3, 4, 6, 200, 1);
    private static final Optimization D = Optimization.DEFAULT;

    private static DatasetSplits data;
    private static TrialResult baseline;

    @BeforeAll
    static void load() {
        data = TestData.mnist(new SplitSpec(200, 1000, 100, true));
        baseline = new RecurrentTrainer().train(SPEC, BASE, data);
        assertEquals(TrialStatus.OK, baseline.status(), String.valueOf(baseline.error()));
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("dropout 0.3", SPEC.withDropout(0.3), D),
                Arguments.of("clip norm 0.01", SPEC, D.withClipNorm(0.01)),
                Arguments.of("adam weight decay", SPEC, D.withWeightDecay(0.05)),
                Arguments.of("adamw", SPEC, D.withOptimizer(Optimizer.ADAMW).withWeightDecay(0.5)),
                Arguments.of("sgd", SPEC, D.withOptimizer(Optimizer.SGD)),
                Arguments.of("rmsprop", SPEC, D.withOptimizer(Optimizer.RMSPROP)),
                Arguments.of("cosine", SPEC, D.withSchedule(LrScheduleKind.COSINE)),
                Arguments.of("step", SPEC, D.withSchedule(LrScheduleKind.STEP).withStepEvery(3).withStepGamma(0.5)),
                Arguments.of("warm-up", SPEC, D.withWarmupIterations(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void eachSettingChangesTraining(String name, ModelSpec spec, Optimization optimization) {
        TrialResult r = new RecurrentTrainer().train(spec, BASE.withOptimization(optimization), data);
        assertEquals(TrialStatus.OK, r.status(), String.valueOf(r.error()));
        assertEquals(12, r.iterationsDone());
        assertTrue(Double.isFinite(r.finalLoss()), name);
        // The same settings train bit for bit alike (aSeededTrialWithDropoutIsReproducible): any change is the
        // setting's; 1e-4 asks for one that is not a rounding accident.
        double change = Math.abs(r.finalLoss() - baseline.finalLoss());
        assertTrue(change > 1e-4, name + " must train differently from plain Adam: final loss moved by " + change);
    }

    /** Dropout masks come from ND4J's generator, which the network's seed resets: a trial still repeats itself. */
    @Test
    void aSeededTrialWithDropoutIsReproducible() {
        TrainingConfig config = BASE.withOptimization(D.withSchedule(LrScheduleKind.COSINE));
        TrialResult a = new RecurrentTrainer().train(SPEC.withDropout(0.3), config, data);
        TrialResult b = new RecurrentTrainer().train(SPEC.withDropout(0.3), config, data);
        // Bit for bit, in one JVM or two (the fused kernels compute the same bits interpreted and compiled); other
        // masks would move these losses by about 1e-3.
        assertEquals(a.curve(), b.curve());
        assertEquals(a.bestValidationAccuracy(), b.bestValidationAccuracy());
    }

    /**
     * DL4J's score adds 0.5 x decay x |w|^2; the trainer reports cross-entropy alone. The first iteration's loss is
     * measured on the initial weights, the same with or without decay, so it must not depend on the decay.
     */
    @Test
    void reportedLossesLeaveTheWeightDecayPenaltyOut() {
        TrainingConfig one = new TrainingConfig(1, 20, 3e-3, 4, 1, 200, 1);
        Optimization heavy = D.withOptimizer(Optimizer.ADAMW).withWeightDecay(10);
        double penalty = RecurrentTrainer.network(SPEC, one.withOptimization(heavy)).calcRegularizationScore(true);
        assertTrue(penalty > 1, "DL4J would add " + penalty);
        double plain = new RecurrentTrainer().train(SPEC, one, data).finalLoss();
        for (Optimization decayed : new Optimization[]{heavy, D.withWeightDecay(10)}) {
            assertEquals(plain, new RecurrentTrainer().train(SPEC, one.withOptimization(decayed), data).finalLoss(),
                    1e-5, decayed.optimizer().id());
        }
    }
}
