package dev.sparksweep.search;

import dev.sparksweep.model.Family;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.train.TrainingConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Expands a {@link SweepDefinition} into its trials: the cartesian product, with activation only where it applies. */
public final class SpaceExpander {

    private SpaceExpander() {
    }

    /**
     * The sweep's distinct trials in a stable order (model first, then optimisation settings, then seed).
     *
     * @param datasetChecksum identity of the dataset, folded into every trial id
     */
    public static List<Trial> expand(SweepDefinition sweep, String datasetChecksum) {
        SearchSpace space = sweep.space();
        long size = space.size();
        if (size > sweep.maxTrials()) {
            throw new SweepConfigException(sweep.source() + ": the search space has " + size
                    + " trials, more than sweep.max-trials = " + sweep.maxTrials()
                    + " (shrink the space or raise sweep.max-trials)");
        }
        Map<String, Trial> trials = new LinkedHashMap<>();
        for (ModelSpec model : models(space)) {
            for (double lr : space.learningRates()) {
                for (int batch : space.batchSizes()) {
                    for (int iterations : space.iterations()) {
                        for (long seed : space.seeds()) {
                            TrainingConfig training = new TrainingConfig(iterations, batch, lr, seed,
                                    Math.min(sweep.evalEvery(), iterations), sweep.evalBatchSize(),
                                    sweep.threadsPerTrial(), sweep.testCurve());
                            Trial trial = Trial.of(model, training, sweep.data(), datasetChecksum);
                            trials.putIfAbsent(trial.id(), trial);
                        }
                    }
                }
            }
        }
        return List.copyOf(trials.values());
    }

    private static List<ModelSpec> models(SearchSpace space) {
        List<ModelSpec> models = new ArrayList<>();
        for (Family family : space.families()) {
            List<RnnActivation> activations = family == Family.RNN
                    ? space.activations() : Collections.singletonList(null);
            for (int layers : space.layersByFamily().get(family)) {
                for (RnnActivation activation : activations) {
                    for (int hidden : space.hidden()) {
                        for (boolean bidirectional : space.bidirectional()) {
                            for (boolean extraFc : space.extraFc()) {
                                models.add(new ModelSpec(family, layers, hidden, activation, extraFc, bidirectional));
                            }
                        }
                    }
                }
            }
        }
        return models;
    }
}
