package dev.sparksweep.saved;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading images to predict from the files people have: MNIST's IDX, grey PNGs; refusing what is not that. */
class ImageFilesTest {

    private static final InputShape MNIST = new InputShape(28, 28, 10);

    @TempDir
    Path dir;

    private static Images test() {
        return TestData.mnist(new SplitSpec(100, 100, 5, true)).test();
    }

    /** Image {@code i} of {@code images} as a PNG of {@code type}, grey levels as they are. */
    private Path png(Images images, int i, int type, String name) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, type);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = images.pixel(i, y, x);
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    image.getRaster().setSample(x, y, 0, v);
                } else {
                    image.setRGB(x, y, 0xFF000000 | v << 16 | v << 8 | v);
                }
            }
        }
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, "png", file.toFile()));
        return file;
    }

    @Test
    void mnistsOwnIdxFileAndGreyPngsReadAsTheSamePixels() throws IOException {
        Path idx = DatasetName.MNIST.directoryIn(TestData.ensure(DatasetName.MNIST)).resolve("t10k-images-idx3-ubyte");
        ImageFiles all = ImageFiles.read(idx, MNIST);
        assertEquals(10_000, all.images().count());
        assertEquals("t10k-images-idx3-ubyte[3]", all.names().get(3));
        Images test = test();
        assertArrayEquals(Arrays.copyOf(test.pixels(), 5 * 784), Arrays.copyOf(all.images().pixels(), 5 * 784));

        Path grey = png(test, 0, BufferedImage.TYPE_BYTE_GRAY, "b.png");
        Path rgb = png(test, 1, BufferedImage.TYPE_INT_RGB, "a.png");
        ImageFiles one = ImageFiles.read(grey, MNIST);
        assertArrayEquals(Arrays.copyOf(test.pixels(), 784), one.images().pixels(), "8-bit grey, values as is");
        ImageFiles folder = ImageFiles.read(dir, MNIST);
        assertEquals(List.of("a.png", "b.png"), folder.names(), "a folder's PNGs in name order");
        assertArrayEquals(Arrays.copyOfRange(test.pixels(), 784, 2 * 784),
                Arrays.copyOf(folder.images().pixels(), 784), "grey pixels of an RGB PNG");
    }

    @Test
    void colourOtherSizesAndOtherFormatsAreRefusedWithTheFileNamed() throws IOException {
        BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(3, 4, 0xFF2040);
        Path red = dir.resolve("red.png");
        ImageIO.write(colour, "png", red.toFile());
        String why = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(red, MNIST)).getMessage();
        assertTrue(why.startsWith(red + ": a colour image (pixel 3,4"), why);

        Path big = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", big.toFile());
        why = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(big, MNIST)).getMessage();
        assertEquals(big + " holds 32x32 images; the model takes 28x28 (28 time steps of 28 features)", why);

        Path jpeg = dir.resolve("digit.jpg");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "jpg", jpeg.toFile());
        why = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(jpeg, MNIST)).getMessage();
        assertTrue(why.contains(jpeg + ": not an IDX file") && why.contains("IDX image files and PNG images"), why);

        Path labels = DatasetName.MNIST.directoryIn(TestData.ensure(DatasetName.MNIST))
                .resolve("t10k-labels-idx1-ubyte");
        why = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(labels, MNIST)).getMessage();
        assertTrue(why.contains("a label file has one dimension"), why);
        Files.delete(red);
        Files.delete(big);
        Files.delete(jpeg);
        why = assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(dir, MNIST)).getMessage();
        assertEquals(dir + ": a folder with no .png files", why);
    }
}
