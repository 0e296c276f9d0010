package dev.sparksweep.train;

import java.io.Serializable;

/**
 * How one trial trains. The budget counts iterations (mini-batches), as the reference notebook does, not epochs.
 *
 * @param evalEvery      validate every this many iterations (and always after the last one)
 * @param evalBatchSize  mini-batch size for validation and test passes (only speed depends on it)
 * @param threads        native (OpenMP / BLAS) threads this trial may use
 * @param testCurve      also measure the test set at every evaluation point (the notebook's printout); costs time
 */
public record TrainingConfig(int iterations, int batchSize, double learningRate, long seed, int evalEvery,
                             int evalBatchSize, int threads, boolean testCurve) implements Serializable {

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
    }
}
