package dev.sparksweep.refit;

import dev.sparksweep.train.TrialResult;

import java.nio.file.Path;

/**
 * A finished refit: the model it saved and what it measured, as its {@code models} row records it.
 *
 * @param trainingMaster how dl4j-spark trained it (null for training in one JVM)
 * @param workers        executors that trained it (1 for one JVM)
 */
public record RefitOutcome(String modelId, Path modelFile, RefitSource source, TrialResult result, int trainImages,
                           int testImages, int iterations, int batchSize, long seed, double wallSeconds,
                           boolean dataParallel, int workers, String trainingMaster, String master) {
}
