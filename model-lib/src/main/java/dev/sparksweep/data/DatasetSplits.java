package dev.sparksweep.data;

/**
 * A dataset split for one sweep: the fixed validation split carved from the training files, and the test files.
 * {@code checksum} is {@link DatasetManifest#checksum()}, the identity of the data the numbers were computed on.
 */
public record DatasetSplits(DatasetName dataset, String checksum, Images train, Images validation, Images test) {

    public DatasetSplits {
        if (dataset == null || checksum == null || train == null || validation == null || test == null) {
            throw new IllegalArgumentException("dataset splits need every component");
        }
    }
}
