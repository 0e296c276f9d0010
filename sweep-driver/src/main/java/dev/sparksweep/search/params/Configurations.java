package dev.sparksweep.search.params;

import dev.sparksweep.model.BiasInit;
import dev.sparksweep.model.Family;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.train.Augmentation;
import dev.sparksweep.train.LrScheduleKind;
import dev.sparksweep.train.Optimization;
import dev.sparksweep.train.Optimizer;
import dev.sparksweep.train.TrainingConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each declared hyperparameter goes: a configuration (key to value) becomes the {@link ModelSpec} and the
 * {@link TrainingConfig} model-lib trains, and back. This is the one place that knows what a parameter means.
 */
public final class Configurations {

    private Configurations() {
    }

    /** The model a configuration describes. */
    public static ModelSpec model(Map<String, Object> c) {
        Family family = Family.parse(string(c, Params.FAMILY));
        Object activation = c.get(Params.ACTIVATION.key());
        ModelSpec model = new ModelSpec(family, integer(c, Params.LAYERS), integer(c, Params.HIDDEN),
                activation == null ? null : RnnActivation.parse((String) activation),
                (Boolean) c.get(Params.EXTRA_FC.key()), (Boolean) c.get(Params.BIDIRECTIONAL.key()));
        Object dropout = c.get(Params.DROPOUT.key());
        return (dropout == null ? model : model.withDropout(((Number) dropout).doubleValue()))
                .withBiasInit(BiasInit.parse(string(c, Params.BIAS_INIT)));
    }

    /**
     * How a configuration trains.
     *
     * @param evalEvery     validate every this many iterations (capped at the budget)
     * @param evalBatchSize mini-batch of evaluation passes
     * @param threads       native threads of the trial
     * @param testCurve     whether to measure the test set at every evaluation
     */
    public static TrainingConfig training(Map<String, Object> c, int evalEvery, int evalBatchSize, int threads,
                                          boolean testCurve) {
        int iterations = integer(c, Params.ITERATIONS);
        Optimization o = Optimization.DEFAULT
                .withOptimizer(Optimizer.parse(string(c, Params.OPTIMIZER)))
                .withWeightDecay(real(c, Params.WEIGHT_DECAY))
                .withMomentum(real(c, Params.MOMENTUM))
                .withSchedule(LrScheduleKind.parse(string(c, Params.LR_SCHEDULE)))
                .withWarmupIterations(integer(c, Params.WARMUP))
                .withStepGamma(real(c, Params.STEP_GAMMA))
                .withStepEvery(integer(c, Params.STEP_EVERY))
                .withClipNorm(real(c, Params.CLIP_NORM));
        return new TrainingConfig(iterations, integer(c, Params.BATCH_SIZE), real(c, Params.LEARNING_RATE),
                ((Number) c.get(Params.SEED.key())).longValue(), Math.min(evalEvery, iterations), evalBatchSize,
                threads, testCurve).withOptimization(o)
                .withAugmentation(new Augmentation(integer(c, Params.AUGMENT_SHIFT)));
    }

    /** The configuration of a model and its training, completed as {@link Params#complete} does. */
    public static Map<String, Object> of(ModelSpec m, TrainingConfig t) {
        Optimization o = t.optimization();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(Params.FAMILY.key(), m.family().id());
        c.put(Params.LAYERS.key(), m.layers());
        c.put(Params.HIDDEN.key(), m.hidden());
        c.put(Params.ACTIVATION.key(), m.activation() == null ? null : m.activation().id());
        c.put(Params.EXTRA_FC.key(), m.extraFc());
        c.put(Params.BIDIRECTIONAL.key(), m.bidirectional());
        c.put(Params.LEARNING_RATE.key(), t.learningRate());
        c.put(Params.BATCH_SIZE.key(), t.batchSize());
        c.put(Params.ITERATIONS.key(), t.iterations());
        c.put(Params.SEED.key(), t.seed());
        c.put(Params.DROPOUT.key(), m.dropout());
        c.put(Params.OPTIMIZER.key(), o.optimizer().id());
        c.put(Params.WEIGHT_DECAY.key(), o.weightDecay());
        c.put(Params.MOMENTUM.key(), o.momentum());
        c.put(Params.LR_SCHEDULE.key(), o.schedule().id());
        c.put(Params.WARMUP.key(), o.warmupIterations());
        c.put(Params.STEP_GAMMA.key(), o.stepGamma());
        c.put(Params.STEP_EVERY.key(), o.stepEvery());
        c.put(Params.CLIP_NORM.key(), o.clipNorm());
        c.put(Params.BIAS_INIT.key(), m.biasInit().id());
        c.put(Params.AUGMENT_SHIFT.key(), t.augmentation().maxShift());
        return Params.complete(c);
    }

    private static String string(Map<String, Object> c, Param p) {
        Object v = c.get(p.key());
        return v == null ? (String) p.defaultValue() : (String) v;
    }

    private static int integer(Map<String, Object> c, Param p) {
        Object v = c.get(p.key());
        return ((Number) (v == null ? p.defaultValue() : v)).intValue();
    }

    private static double real(Map<String, Object> c, Param p) {
        Object v = c.get(p.key());
        return ((Number) (v == null ? p.defaultValue() : v)).doubleValue();
    }
}
