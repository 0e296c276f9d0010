package dev.sparksweep.train;

import java.io.Serializable;

/**
 * How one trial trains. The budget counts iterations (mini-batches), as the reference notebook does, not epochs.
 *
 * @param learningRate   the base learning rate; {@link Optimization#schedule()} may move it over the budget
 * @param evalEvery      validate every this many iterations (and always after the last one)
 * @param evalBatchSize  mini-batch size for validation and test passes (only speed depends on it)
 * @param threads        native (OpenMP / BLAS) threads this trial may use
 * @param testCurve      also measure the test set at every evaluation point (the notebook's printout); costs time
 * @param optimization   optimizer, weight decay, momentum, learning-rate schedule, clipping; never null
 * @param augmentation   how training images are varied; {@link Augmentation#NONE} (or null) for the images as
 *                       stored
 */
public record TrainingConfig(int iterations, int batchSize, double learningRate, long seed, int evalEvery,
                             int evalBatchSize, int threads, boolean testCurve, Optimization optimization,
                             Augmentation augmentation)
        implements Serializable {

    /** Without augmentation. */
    public TrainingConfig(int iterations, int batchSize, double learningRate, long seed, int evalEvery,
                          int evalBatchSize, int threads, boolean testCurve, Optimization optimization) {
        this(iterations, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads, testCurve, optimization,
                Augmentation.NONE);
    }

    /** With {@link Optimization#DEFAULT}: Adam at a constant learning rate, as before optimizations existed. */
    public TrainingConfig(int iterations, int batchSize, double learningRate, long seed, int evalEvery,
                          int evalBatchSize, int threads, boolean testCurve) {
        this(iterations, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads, testCurve,
                Optimization.DEFAULT);
    }

    /** With no test curve and {@link Optimization#DEFAULT}. */
    public TrainingConfig(int iterations, int batchSize, double learningRate, long seed, int evalEvery,
                          int evalBatchSize, int threads) {
        this(iterations, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads, false);
    }

    public TrainingConfig {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (evalEvery < 1) {
            throw new IllegalArgumentException("eval-every must be at least 1, got " + evalEvery);
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("eval batch size must be at least 1, got " + evalBatchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (optimization == null) {
            throw new IllegalArgumentException("optimization is required (Optimization.DEFAULT for plain Adam)");
        }
        if (augmentation == null) {
            // What a checkpoint written before augmentation existed reads back as: it trained without.
            augmentation = Augmentation.NONE;
        }
    }

    /** The same training with a budget of {@code value} iterations. */
    public TrainingConfig withIterations(int value) {
        return new TrainingConfig(value, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads, testCurve,
                optimization, augmentation);
    }

    /** The same training with another optimizer, schedule, weight decay or clipping. */
    public TrainingConfig withOptimization(Optimization value) {
        return new TrainingConfig(iterations, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads,
                testCurve, value, augmentation);
    }

    /** The same training with other augmentation of its images. */
    public TrainingConfig withAugmentation(Augmentation value) {
        return new TrainingConfig(iterations, batchSize, learningRate, seed, evalEvery, evalBatchSize, threads,
                testCurve, optimization, value);
    }
}
