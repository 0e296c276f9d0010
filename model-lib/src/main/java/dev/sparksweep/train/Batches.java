package dev.sparksweep.train;

import dev.sparksweep.data.Images;
import dev.sparksweep.model.NetworkFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.IntFunction;

/**
 * Turns stored images into network input. An image's row t becomes time step t and its columns the 28 features, in
 * DL4J's NCW layout {@code [batch, features, time]}; pixels are scaled to [0, 1] as the notebook's ToTensor does.
 */
public final class Batches {

    private static final int[] UNMOVED = {0, 0};

    private Batches() {
    }

    /** Features of the images at {@code order[from..to)}. */
    public static INDArray features(Images images, int[] order, int from, int to) {
        return features(images, order, from, to, slot -> UNMOVED);
    }

    /**
     * Features of the training images at {@code order[from..to)} as mini-batch {@code iteration} of the trial seeded
     * {@code seed} sees them: each moved as {@code augmentation} draws for its slot in the batch.
     */
    public static INDArray features(Images images, int[] order, int from, int to, Augmentation augmentation, long seed,
                                    int iteration) {
        return augmentation.none() ? features(images, order, from, to)
                : features(images, order, from, to, slot -> augmentation.shift(seed, iteration, slot));
    }

    /** The images with each moved by {@code shiftOf(slot)}: {rows down, columns right}, background filling in. */
    private static INDArray features(Images images, int[] order, int from, int to, IntFunction<int[]> shiftOf) {
        int rows = images.rows();
        int cols = images.cols();
        int size = rows * cols;
        int n = to - from;
        float[] out = new float[n * size];
        byte[] pixels = images.pixels();
        for (int b = 0; b < n; b++) {
            int src = order[from + b] * size;
            int dst = b * size;
            int[] shift = shiftOf.apply(b);
            // Output pixel (t, f) shows stored pixel (t - down, f - right); outside the stored frame it stays 0.
            for (int t = Math.max(0, shift[0]); t < Math.min(rows, rows + shift[0]); t++) {
                for (int f = Math.max(0, shift[1]); f < Math.min(cols, cols + shift[1]); f++) {
                    out[dst + f * rows + t] = (pixels[src + (t - shift[0]) * cols + (f - shift[1])] & 0xFF) / 255f;
                }
            }
        }
        return Nd4j.create(out, new long[]{n, cols, rows}, 'c');
    }

    /** One-hot labels {@code [batch, 10]} of the images at {@code order[from..to)}. */
    public static INDArray oneHotLabels(Images images, int[] order, int from, int to) {
        int n = to - from;
        float[] out = new float[n * NetworkFactory.CLASSES];
        for (int b = 0; b < n; b++) {
            out[b * NetworkFactory.CLASSES + images.label(order[from + b])] = 1f;
        }
        return Nd4j.create(out, new long[]{n, NetworkFactory.CLASSES}, 'c');
    }

    /** Fisher-Yates shuffle in place: a fresh mini-batch order per epoch, reproducible from the trial's seed. */
    public static void shuffle(int[] order, java.util.Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** The identity order {@code 0..n-1}. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
