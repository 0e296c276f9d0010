package dev.sparksweep.search;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.SplitSpec;

import java.io.Serializable;

/**
 * Which data a trial sees: the dataset, the size of the fixed validation split, and optional slices (0 = all) for
 * quick runs. All of it changes what a trial learns, so all of it is part of the trial's identity.
 */
public record DataSpec(DatasetName dataset, int validationSize, int trainLimit, int testLimit) implements Serializable {

    public SplitSpec splitSpec() {
        return new SplitSpec(validationSize, trainLimit, testLimit, true);
    }
}
