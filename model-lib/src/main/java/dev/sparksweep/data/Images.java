package dev.sparksweep.data;

import java.util.Arrays;

/**
 * Labelled grey-scale images kept as unsigned bytes, as in the IDX files: a quarter of the memory of floats, which
 * matters when every Spark executor JVM holds a copy. The training code converts one batch at a time.
 *
 * <p>{@code pixels} is row-major per image, images one after another. The arrays are shared, not copied:
 * treat them as read-only (the cached splits are shared by every task of a JVM).
 */
public record Images(int count, int rows, int cols, byte[] pixels, byte[] labels)
        implements java.io.Serializable {

    public static final int CLASSES = 10;

    public Images {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "bad image shape: count " + count + ", rows " + rows + ", cols " + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " pixel bytes, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(count + " images need " + count + " labels, got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= CLASSES) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " at index " + i
                        + " is outside 0.." + (CLASSES - 1));
            }
        }
    }

    /** Pixels per image. */
    public int imageSize() {
        return rows * cols;
    }

    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Unsigned pixel value 0..255. */
    public int pixel(int image, int row, int col) {
        return pixels[image * imageSize() + row * cols + col] & 0xFF;
    }

    /** A copy holding the given images, in the given order. */
    public Images slice(int[] indices) {
        int size = imageSize();
        byte[] slicePixels = new byte[indices.length * size];
        byte[] sliceLabels = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("image index " + i + " outside 0.." + (count - 1));
            }
            System.arraycopy(pixels, i * size, slicePixels, k * size, size);
            sliceLabels[k] = labels[i];
        }
        return new Images(indices.length, rows, cols, slicePixels, sliceLabels);
    }

    /** A copy of the first {@code n} images. */
    public Images head(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("head(" + n + ") of " + count + " images");
        }
        return new Images(n, rows, cols, Arrays.copyOf(pixels, n * imageSize()), Arrays.copyOf(labels, n));
    }

    /** How many images carry each label. */
    public int[] labelCounts() {
        int[] counts = new int[CLASSES];
        for (byte label : labels) {
            counts[label & 0xFF]++;
        }
        return counts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Images that && count == that.count && rows == that.rows && cols == that.cols
                && Arrays.equals(labels, that.labels) && Arrays.equals(pixels, that.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * count + rows) + cols) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Images[" + count + " x " + rows + "x" + cols + "]";
    }
}
