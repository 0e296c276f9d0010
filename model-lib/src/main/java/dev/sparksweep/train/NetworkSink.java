package dev.sparksweep.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Given the trained network of a trial that completed its whole budget, before the network is dropped: where a sweep
 * keeps the models it saves. Runs on the training thread; what it throws is the sink's own failure and does not change
 * the trial's result.
 */
@FunctionalInterface
public interface NetworkSink {

    NetworkSink NONE = (network, result) -> {
    };

    void finished(MultiLayerNetwork network, TrialResult result);
}
