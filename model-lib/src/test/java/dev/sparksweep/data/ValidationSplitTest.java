package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    @Test
    void partitionsAllIndicesIntoTwoSortedDisjointParts() {
        ValidationSplit split = ValidationSplit.of(60_000, 10_000);

        assertEquals(50_000, split.train().length);
        assertEquals(10_000, split.validation().length);
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 60_000).toArray(), all);
        assertTrue(isAscending(split.train()) && isAscending(split.validation()));
    }

    @Test
    void isFixedAcrossRunsAndMachines() {
        assertEquals(ValidationSplit.of(60_000, 10_000), ValidationSplit.of(60_000, 10_000));
        // Pinned (computed independently from java.util.Random's published algorithm) so that a change to the seed
        // or the shuffle, which would silently change every validation score, fails here.
        assertArrayEquals(new int[] {6, 8, 15, 18, 19},
                Arrays.copyOf(ValidationSplit.of(60_000, 10_000).validation(), 5));
        assertArrayEquals(new int[] {219, 1235, 1436}, Arrays.copyOf(ValidationSplit.of(60_000, 100).validation(), 3));
    }

    @Test
    void smallerValidationSetsAreSubsetsOfLargerOnes() {
        int[] small = ValidationSplit.of(60_000, 100).validation();
        int[] large = ValidationSplit.of(60_000, 10_000).validation();

        assertEquals(100, small.length);
        assertTrue(Arrays.stream(small).allMatch(i -> Arrays.binarySearch(large, i) >= 0));
    }

    @Test
    void zeroValidationKeepsEverythingForTraining() {
        ValidationSplit split = ValidationSplit.of(7, 0);

        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, split.train());
        assertEquals(0, split.validation().length);
    }

    @Test
    void rejectsValidationSetsThatLeaveNoTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(10, 10));
        assertTrue(e.getMessage().contains("validationSize 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(10, -1));
    }

    private static boolean isAscending(int[] values) {
        for (int i = 1; i < values.length; i++) {
            if (values[i - 1] >= values[i]) {
                return false;
            }
        }
        return true;
    }
}
