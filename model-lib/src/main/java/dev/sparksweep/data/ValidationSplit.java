package dev.sparksweep.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Which training-file indices form the validation set. The permutation comes from a fixed seed so every sweep, on
 * every machine and JVM, validates on the same images; {@link Random} is specified exactly, so this is portable.
 * Both index arrays are ascending, keeping the file's order within each part.
 */
public record ValidationSplit(int[] train, int[] validation) {

    public static final long SEED = 20240601L;

    /**
     * Shuffles {@code 0..trainingCount-1} (Fisher-Yates with {@code new Random(SEED)}); the first
     * {@code validationSize} indices are the validation set, the rest the training set.
     */
    public static ValidationSplit of(int trainingCount, int validationSize) {
        if (validationSize < 0 || validationSize >= trainingCount) {
            throw new IllegalArgumentException("validationSize " + validationSize + " must be in 0.."
                    + (trainingCount - 1) + " to leave training images out of " + trainingCount);
        }
        int[] permutation = new int[trainingCount];
        for (int i = 0; i < trainingCount; i++) {
            permutation[i] = i;
        }
        Random random = new Random(SEED);
        for (int i = trainingCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        int[] validation = Arrays.copyOfRange(permutation, 0, validationSize);
        int[] train = Arrays.copyOfRange(permutation, validationSize, trainingCount);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new ValidationSplit(train, validation);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ValidationSplit that
                && Arrays.equals(train, that.train) && Arrays.equals(validation, that.validation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(validation);
    }

    @Override
    public String toString() {
        return "ValidationSplit[train " + train.length + ", validation " + validation.length + "]";
    }
}
