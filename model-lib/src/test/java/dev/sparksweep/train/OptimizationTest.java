package dev.sparksweep.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The optimization settings: today's defaults, ids, copies and one clear message per impossible value. */
class OptimizationTest {

    private static final Optimization D = Optimization.DEFAULT;

    private static void refused(String message, Executable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }

    @Test
    void theDefaultIsPlainAdamAtAConstantRate() {
        assertEquals(new Optimization(Optimizer.ADAM, 0.0, 0.9, LrScheduleKind.CONSTANT, 0, 0.1, 1000, 0.0), D);
        TrainingConfig seven = new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1);
        assertSame(D, seven.optimization());
        assertEquals(new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, false, D), seven);
        assertEquals(new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, true, D),
                new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, true));
    }

    @Test
    void idsParseBackCaseInsensitively() {
        Map<String, Optimizer> optimizers = Map.of("adam", Optimizer.ADAM, "adamw", Optimizer.ADAMW,
                "sgd", Optimizer.SGD, "rmsprop", Optimizer.RMSPROP);
        optimizers.forEach((id, o) -> {
            assertEquals(id, o.id());
            assertEquals(o, Optimizer.parse(id));
            assertEquals(o, Optimizer.parse(" " + id.toUpperCase() + " "));
        });
        Map<String, LrScheduleKind> schedules = Map.of("constant", LrScheduleKind.CONSTANT,
                "cosine", LrScheduleKind.COSINE, "step", LrScheduleKind.STEP);
        schedules.forEach((id, k) -> {
            assertEquals(id, k.id());
            assertEquals(k, LrScheduleKind.parse(id));
            assertEquals(k, LrScheduleKind.parse("  " + id.toUpperCase()));
        });
    }

    @Test
    void unknownIdsListTheValidOnes() {
        refused("unknown optimizer 'adagrad' (expected one of adam, adamw, sgd, rmsprop)",
                () -> Optimizer.parse("adagrad"));
        refused("unknown optimizer 'null' (expected one of adam, adamw, sgd, rmsprop)", () -> Optimizer.parse(null));
        refused("unknown learning-rate schedule 'linear' (expected one of constant, cosine, step)",
                () -> LrScheduleKind.parse("linear"));
    }

    @Test
    void everyCopyChangesOneComponent() {
        Optimization all = D.withOptimizer(Optimizer.SGD).withWeightDecay(1e-4).withMomentum(0.5)
                .withSchedule(LrScheduleKind.STEP).withWarmupIterations(10).withStepGamma(0.5).withStepEvery(7)
                .withClipNorm(2.5);
        assertEquals(new Optimization(Optimizer.SGD, 1e-4, 0.5, LrScheduleKind.STEP, 10, 0.5, 7, 2.5), all);
        TrainingConfig config = new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, true);
        TrainingConfig changed = config.withOptimization(all);
        assertEquals(all, changed.optimization());
        assertEquals(new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, true, all), changed);
    }

    @Test
    void impossibleValuesAreRefusedWithOneClearMessageEach() {
        refused("optimizer is required (one of adam, adamw, sgd, rmsprop)", () -> D.withOptimizer(null));
        refused("weight decay must be 0 (none) or a positive number, got -0.1", () -> D.withWeightDecay(-0.1));
        refused("weight decay must be 0 (none) or a positive number, got NaN", () -> D.withWeightDecay(Double.NaN));
        refused("weight decay must be 0 (none) or a positive number, got Infinity",
                () -> D.withWeightDecay(Double.POSITIVE_INFINITY));
        refused("momentum must be at least 0 and below 1, got 1.0", () -> D.withMomentum(1));
        refused("momentum must be at least 0 and below 1, got -0.5", () -> D.withMomentum(-0.5));
        refused("learning-rate schedule is required (one of constant, cosine, step)", () -> D.withSchedule(null));
        refused("warm-up iterations must be 0 (none) or more, got -1", () -> D.withWarmupIterations(-1));
        refused("step gamma must be above 0 and at most 1, got 0.0", () -> D.withStepGamma(0));
        refused("step gamma must be above 0 and at most 1, got 1.5", () -> D.withStepGamma(1.5));
        refused("step-every must be at least 1 iteration, got 0", () -> D.withStepEvery(0));
        refused("clip norm must be 0 (no clipping) or a positive number, got -1.0", () -> D.withClipNorm(-1));
        refused("clip norm must be 0 (no clipping) or a positive number, got NaN", () -> D.withClipNorm(Double.NaN));
        refused("optimization is required (Optimization.DEFAULT for plain Adam)",
                () -> new TrainingConfig(10, 20, 1e-3, 1, 5, 100, 1, false, null));
        refused("a cosine schedule needs at least 1 iteration, got 0", () -> new CosineSchedule(0.1, 0));
    }

    @Test
    void edgeValuesAreAllowed() {
        Optimization edges = D.withMomentum(0).withStepGamma(1).withWarmupIterations(0).withClipNorm(0)
                .withWeightDecay(0).withStepEvery(1);
        assertEquals(0, edges.momentum());
        assertEquals(1, edges.stepGamma());
    }
}
