package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImagesTest {

    /** Four 2x3 images; pixel values are 10 * image + position, labels 7, 8, 9, 0. */
    private static Images four() {
        byte[] pixels = new byte[4 * 6];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (10 * (i / 6) + i % 6);
        }
        return new Images(4, 2, 3, pixels, new byte[] {7, 8, 9, 0});
    }

    @Test
    void slicesCopyTheChosenImagesInOrder() {
        Images slice = four().slice(new int[] {3, 1});

        assertEquals(2, slice.count());
        assertEquals(0, slice.label(0));
        assertEquals(8, slice.label(1));
        assertEquals(35, slice.pixel(0, 1, 2));
        assertEquals(10, slice.pixel(1, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> four().slice(new int[] {4}));
    }

    @Test
    void headTakesAPrefix() {
        Images head = four().head(2);

        assertEquals(four().slice(new int[] {0, 1}), head);
        assertEquals(0, four().head(0).count());
        assertThrows(IllegalArgumentException.class, () -> four().head(5));
    }

    @Test
    void labelCountsAndUnsignedPixels() {
        Images images = new Images(1, 1, 2, new byte[] {(byte) 255, 3}, new byte[] {4});

        assertEquals(255, images.pixel(0, 0, 0));
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, four().labelCounts());
    }

    @Test
    void constructorChecksShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Images(2, 2, 3, new byte[11], new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> new Images(2, 2, 3, new byte[12], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new Images(1, 2, 3, new byte[6], new byte[] {10}));
        assertThrows(IllegalArgumentException.class, () -> new Images(1, 0, 3, new byte[0], new byte[1]));
    }
}
