package dev.sparksweep.schedule;

import dev.sparksweep.search.Trial;

/**
 * A trial's work per iteration, relative to other trials', for the progress line's ETA: a queued trial is priced at
 * the pace of those that finished, scaled by this. A recurrent network's multiply-adds per image and time step are
 * about its parameter count, so a mini-batch costs about parameters x batch size. Measured in the seed study (two
 * trials at a time on the 2-core machine, batch 100), time per iteration followed the parameter count within about
 * 25 % from 21,000 parameters (1-layer RNN, 15 ms) to 558,000 (2-layer bidirectional LSTM, 535 ms); a flat price
 * per iteration would have been off 35-fold. Only ratios matter, so the unit is arbitrary.
 */
final class WorkCost {

    private WorkCost() {
    }

    /** Work per iteration of {@code trial}: parameters x images. */
    static double perIteration(Trial trial) {
        return (double) trial.model().parameterCount() * trial.training().batchSize();
    }
}
