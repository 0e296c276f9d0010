package dev.sparksweep.train;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random translations of the training images, the augmentation behind the best published row-by-row results: each
 * image of each mini-batch moves by whole pixels, up to {@code maxShift} in each direction independently, the
 * uncovered border filling with background (0). Validation and test images are never moved.
 *
 * <p>The shifts are drawn from the trial's seed, the iteration and the image's place in its mini-batch, not from a
 * generator that advances: the same trial draws the same shifts, and a trial continued from a checkpoint draws the
 * shifts it would have drawn trained straight through, with no generator state to save.
 *
 * @param maxShift pixels an image may move up, down, left and right; 0 for none
 */
public record Augmentation(int maxShift) implements Serializable {

    /** No augmentation: images as stored, the notebook's training. */
    public static final Augmentation NONE = new Augmentation(0);

    /** Beyond this an MNIST digit (about 20 pixels in a 28-pixel frame) leaves the frame. */
    public static final int MAX_SHIFT = 8;

    public Augmentation {
        if (maxShift < 0 || maxShift > MAX_SHIFT) {
            throw new IllegalArgumentException("the augmentation shift must be within 0.." + MAX_SHIFT + " pixels, got "
                    + maxShift);
        }
    }

    public boolean none() {
        return maxShift == 0;
    }

    /**
     * The shift of the image at {@code slot} of the mini-batch of {@code iteration}: {@code {rows down, columns
     * right}}, each within -maxShift..maxShift.
     */
    int[] shift(long seed, int iteration, int slot) {
        // Distinct, well-mixed streams per (seed, iteration, slot): SplittableRandom mixes its seed thoroughly.
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + ((long) iteration << 20) + slot);
        return new int[]{random.nextInt(-maxShift, maxShift + 1), random.nextInt(-maxShift, maxShift + 1)};
    }
}
