package dev.sparksweep.train;

import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shifted training images on real MNIST digits: where the ink goes, which shifts are drawn, and when. */
class AugmentationTest {

    private static Images images;

    @BeforeAll
    static void load() {
        images = TestData.mnist(new SplitSpec(0, 200, 0, true)).train();
    }

    /** The batch's image {@code b} as rows x columns, from the network's [batch, features (columns), time (rows)]. */
    private static float[][] image(INDArray features, int b) {
        float[][] out = new float[images.rows()][images.cols()];
        for (int t = 0; t < images.rows(); t++) {
            for (int f = 0; f < images.cols(); f++) {
                out[t][f] = features.getFloat(b, f, t);
            }
        }
        return out;
    }

    private static double[] massAndCentre(float[][] image) {
        double mass = 0;
        double row = 0;
        double col = 0;
        for (int t = 0; t < image.length; t++) {
            for (int f = 0; f < image[t].length; f++) {
                mass += image[t][f];
                row += t * image[t][f];
                col += f * image[t][f];
            }
        }
        return new double[]{mass, row / mass, col / mass};
    }

    @Test
    void eachDigitMovesByItsDrawnShiftWithItsInkIntact() {
        Augmentation up2 = new Augmentation(2);
        int[] order = Batches.identity(images.count());
        INDArray plain = Batches.features(images, order, 0, 200);
        INDArray moved = Batches.features(images, order, 0, 200, up2, 7, 31);
        int intact = 0;
        Set<Integer> rowShifts = new HashSet<>();
        for (int b = 0; b < 200; b++) {
            int[] shift = up2.shift(7, 31, b);
            rowShifts.add(shift[0]);
            double[] before = massAndCentre(image(plain, b));
            double[] after = massAndCentre(image(moved, b));
            assertTrue(after[0] <= before[0] + 1e-3, "shifting adds no ink");
            if (Math.abs(after[0] - before[0]) < 1e-3) {
                intact++;
                // All the ink moved: its centre moved by exactly the shift.
                assertEquals(before[1] + shift[0], after[1], 1e-3, "row of the centre, image " + b);
                assertEquals(before[2] + shift[1], after[2], 1e-3, "column of the centre, image " + b);
            }
        }
        // MNIST fits each digit in a 20x20 box and centres it by its centre of mass in the 28x28 frame, so nearly all
        // have 2 pixels of background on every side (196 of these 200); the rest lose a little ink at the edge.
        assertTrue(intact >= 190, intact + " of 200 digits kept all their ink");
        assertEquals(Set.of(-2, -1, 0, 1, 2), rowShifts, "every shift within the bound is drawn, none beyond");
    }

    @Test
    void shiftsDependOnSeedIterationAndSlotOnly() {
        Augmentation a = new Augmentation(3);
        int[] order = Batches.identity(images.count());
        INDArray once = Batches.features(images, order, 0, 50, a, 11, 5);
        assertEquals(once, Batches.features(images, order, 0, 50, a, 11, 5), "the same draw again");
        assertNotEquals(once, Batches.features(images, order, 0, 50, a, 11, 6), "the next iteration moves them anew");
        assertNotEquals(once, Batches.features(images, order, 0, 50, a, 12, 5), "another seed, other shifts");
        assertEquals(Batches.features(images, order, 0, 50),
                Batches.features(images, order, 0, 50, Augmentation.NONE, 11, 5), "none leaves the images as stored");
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(Augmentation.MAX_SHIFT + 1));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1));
    }
}
