package dev.sparksweep.search;

import dev.sparksweep.model.Family;
import dev.sparksweep.model.RnnActivation;

import java.util.List;
import java.util.Map;

/**
 * The values a sweep tries for each parameter. A trial is one choice from every list; {@code layersByFamily} lets
 * each family have its own depths (the reference compares RNNs of 1-4 layers with LSTMs of 1-3), and activations are
 * only combined with RNNs.
 */
public record SearchSpace(List<Family> families, Map<Family, List<Integer>> layersByFamily, List<Integer> hidden,
                          List<RnnActivation> activations, List<Boolean> extraFc, List<Boolean> bidirectional,
                          List<Double> learningRates, List<Integer> batchSizes, List<Integer> iterations,
                          List<Long> seeds) {

    public SearchSpace {
        families = List.copyOf(families);
        layersByFamily = Map.copyOf(layersByFamily);
        hidden = List.copyOf(hidden);
        activations = List.copyOf(activations);
        extraFc = List.copyOf(extraFc);
        bidirectional = List.copyOf(bidirectional);
        learningRates = List.copyOf(learningRates);
        batchSizes = List.copyOf(batchSizes);
        iterations = List.copyOf(iterations);
        seeds = List.copyOf(seeds);
    }

    /** Number of trials the space expands to, computed without expanding it. */
    public long size() {
        long perModel = (long) hidden.size() * extraFc.size() * bidirectional.size() * learningRates.size()
                * batchSizes.size() * iterations.size() * seeds.size();
        long models = 0;
        for (Family family : families) {
            long depths = layersByFamily.get(family).size();
            models += family == Family.RNN ? depths * activations.size() : depths;
        }
        return models * perModel;
    }
}
