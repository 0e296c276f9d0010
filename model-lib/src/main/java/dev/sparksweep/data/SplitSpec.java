package dev.sparksweep.data;

/**
 * How to split a dataset: how many training images to hold out for validation (0 allowed), optional caps on the
 * train and test sets (0 = all; used for quick runs on a slice), and whether to verify file checksums first.
 */
public record SplitSpec(int validationSize, int trainLimit, int testLimit, boolean verifyChecksums) {

    public static final int DEFAULT_VALIDATION_SIZE = 10_000;

    public SplitSpec {
        if (validationSize < 0) {
            throw new IllegalArgumentException("validationSize must be >= 0, was " + validationSize);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("trainLimit must be >= 0 (0 = all), was " + trainLimit);
        }
        if (testLimit < 0) {
            throw new IllegalArgumentException("testLimit must be >= 0 (0 = all), was " + testLimit);
        }
    }

    /** 10000 validation images, everything else kept, checksums verified. */
    public static SplitSpec defaults() {
        return new SplitSpec(DEFAULT_VALIDATION_SIZE, 0, 0, true);
    }

    public SplitSpec withValidationSize(int size) {
        return new SplitSpec(size, trainLimit, testLimit, verifyChecksums);
    }

    public SplitSpec withTrainLimit(int limit) {
        return new SplitSpec(validationSize, limit, testLimit, verifyChecksums);
    }

    public SplitSpec withTestLimit(int limit) {
        return new SplitSpec(validationSize, trainLimit, limit, verifyChecksums);
    }

    public SplitSpec withVerifyChecksums(boolean verify) {
        return new SplitSpec(validationSize, trainLimit, testLimit, verify);
    }
}
