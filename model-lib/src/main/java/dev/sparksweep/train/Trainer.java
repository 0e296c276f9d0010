package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.model.ModelSpec;

import java.time.Duration;

/** Trains one model on one dataset. Implementations never throw for a trial that goes wrong: they report it. */
public interface Trainer {

    /**
     * @param stopRules when to stop before the budget: a time limit ({@link TrialStatus#TIMED_OUT}) and the
     *                  divergence rules ({@link TrialStatus#DIVERGED})
     * @param listener  told after every training iteration, on the training thread
     */
    TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                      IterationListener listener);

    /**
     * With the default divergence rules and no listener.
     *
     * @param timeLimit wall time after which the trial stops and reports {@link TrialStatus#TIMED_OUT};
     *                  {@link Duration#ZERO} for none
     */
    default TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, Duration timeLimit) {
        return train(model, config, data, StopRules.DEFAULT.withTimeLimit(timeLimit), IterationListener.NONE);
    }

    default TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data) {
        return train(model, config, data, StopRules.DEFAULT, IterationListener.NONE);
    }
}
