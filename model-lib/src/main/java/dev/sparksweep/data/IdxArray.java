package dev.sparksweep.data;

import java.util.Arrays;

/**
 * The content of an IDX file of unsigned bytes: its dimensions and the data in row-major order.
 * The arrays are not copied (a training set is 47 MB); callers must treat them as read-only.
 */
public record IdxArray(int[] dims, byte[] data) {

    public IdxArray {
        if (dims.length == 0) {
            throw new IllegalArgumentException("an IDX array needs at least one dimension");
        }
        long product = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
            product *= d;
        }
        if (product != data.length) {
            throw new IllegalArgumentException(
                    "dims " + Arrays.toString(dims) + " need " + product + " bytes, got " + data.length);
        }
    }

    /** The unsigned value at a flat index. */
    public int unsigned(int index) {
        return data[index] & 0xFF;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdxArray that && Arrays.equals(dims, that.dims) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
