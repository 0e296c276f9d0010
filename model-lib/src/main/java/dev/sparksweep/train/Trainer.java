package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.model.ModelSpec;

/** Trains one model on one dataset. Implementations never throw for a trial that goes wrong: they report it. */
public interface Trainer {

    /**
     * @param timeLimit wall time after which the trial stops and reports {@link TrialStatus#TIMED_OUT};
     *                  {@link java.time.Duration#ZERO} for none
     */
    TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, java.time.Duration timeLimit);

    default TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data) {
        return train(model, config, data, java.time.Duration.ZERO);
    }
}
