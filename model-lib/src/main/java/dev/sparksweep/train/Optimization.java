package dev.sparksweep.train;

import java.io.Serializable;

/**
 * How a trial optimizes, beyond its learning rate ({@link TrainingConfig#learningRate()}): the optimizer, weight
 * decay, momentum, the learning-rate schedule over the iteration budget, and gradient clipping. {@link #DEFAULT} is
 * plain Adam at a constant rate without clipping, exactly how every trial trained before these settings existed.
 * {@link UpdateRules} turns it into DL4J's updater, schedule, regularization and gradient normalization, and documents
 * where DL4J differs from PyTorch.
 *
 * @param optimizer        adam, adamw, sgd or rmsprop
 * @param weightDecay      {@code >= 0}, 0 for none: decoupled (scaled by the current learning rate and subtracted
 *                         from the weights) for adamw, an L2 term added to the gradient for the others, as PyTorch's
 *                         {@code weight_decay}; applies to every parameter, biases included
 * @param momentum         {@code [0, 1)}: the (Nesterov) momentum of sgd; the other optimizers ignore it (Adam's first
 *                         moment decay stays 0.9, DL4J's RMSProp has no momentum)
 * @param schedule         how the learning rate moves over the budget
 * @param warmupIterations {@code >= 0}, 0 for none: a linear ramp over the first this many iterations, from
 *                         1/warmup of the scheduled rate up to all of it, whatever the schedule
 * @param stepGamma        {@code (0, 1]}: the factor of the step schedule
 * @param stepEvery        {@code >= 1}: iterations between two steps of the step schedule
 * @param clipNorm         {@code >= 0}, 0 for none: each layer's gradient is scaled down to this L2 norm when above it,
 *                         before the optimizer sees it
 */
public record Optimization(Optimizer optimizer, double weightDecay, double momentum, LrScheduleKind schedule,
                           int warmupIterations, double stepGamma, int stepEvery, double clipNorm)
        implements Serializable {

    /** Adam at a constant learning rate, no weight decay, no warm-up, no clipping: training as it always was. */
    public static final Optimization DEFAULT = new Optimization(Optimizer.ADAM, 0.0, 0.9, LrScheduleKind.CONSTANT, 0,
            0.1, 1000, 0.0);

    public Optimization {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required (one of adam, adamw, sgd, rmsprop)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be 0 (none) or a positive number, got "
                    + weightDecay);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be at least 0 and below 1, got " + momentum);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("learning-rate schedule is required (one of constant, cosine, step)");
        }
        if (warmupIterations < 0) {
            throw new IllegalArgumentException("warm-up iterations must be 0 (none) or more, got " + warmupIterations);
        }
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw new IllegalArgumentException("step gamma must be above 0 and at most 1, got " + stepGamma);
        }
        if (stepEvery < 1) {
            throw new IllegalArgumentException("step-every must be at least 1 iteration, got " + stepEvery);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be 0 (no clipping) or a positive number, got "
                    + clipNorm);
        }
    }

    public Optimization withOptimizer(Optimizer value) {
        return new Optimization(value, weightDecay, momentum, schedule, warmupIterations, stepGamma, stepEvery,
                clipNorm);
    }

    public Optimization withWeightDecay(double value) {
        return new Optimization(optimizer, value, momentum, schedule, warmupIterations, stepGamma, stepEvery,
                clipNorm);
    }

    public Optimization withMomentum(double value) {
        return new Optimization(optimizer, weightDecay, value, schedule, warmupIterations, stepGamma, stepEvery,
                clipNorm);
    }

    public Optimization withSchedule(LrScheduleKind value) {
        return new Optimization(optimizer, weightDecay, momentum, value, warmupIterations, stepGamma, stepEvery,
                clipNorm);
    }

    public Optimization withWarmupIterations(int value) {
        return new Optimization(optimizer, weightDecay, momentum, schedule, value, stepGamma, stepEvery, clipNorm);
    }

    public Optimization withStepGamma(double value) {
        return new Optimization(optimizer, weightDecay, momentum, schedule, warmupIterations, value, stepEvery,
                clipNorm);
    }

    public Optimization withStepEvery(int value) {
        return new Optimization(optimizer, weightDecay, momentum, schedule, warmupIterations, stepGamma, value,
                clipNorm);
    }

    public Optimization withClipNorm(double value) {
        return new Optimization(optimizer, weightDecay, momentum, schedule, warmupIterations, stepGamma, stepEvery,
                value);
    }
}
