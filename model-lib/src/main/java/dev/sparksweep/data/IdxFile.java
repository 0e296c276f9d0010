package dev.sparksweep.data;

/**
 * The four files of an MNIST-layout dataset. Declaration order is the fixed order used by
 * {@link DatasetManifest#checksum()}, so it must never change.
 */
public enum IdxFile {
    TRAIN_IMAGES("train-images-idx3-ubyte"),
    TRAIN_LABELS("train-labels-idx1-ubyte"),
    TEST_IMAGES("t10k-images-idx3-ubyte"),
    TEST_LABELS("t10k-labels-idx1-ubyte");

    private final String fileName;

    IdxFile(String fileName) {
        this.fileName = fileName;
    }

    /** The uncompressed file name; a copy on disk may also carry a {@code .gz} suffix. */
    public String fileName() {
        return fileName;
    }
}
