package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.model.ModelSpec;

/** Trains one model on one dataset. Implementations never throw for a trial that goes wrong: they report it. */
public interface Trainer {

    TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data);
}
