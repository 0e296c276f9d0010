package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loader on the real datasets. MNIST is fetched first when it is missing (as {@code ./sparksweep fetch-data}
 * does), so these tests never skip; a machine that cannot obtain it fails them with the fetcher's reasons.
 * Fashion-MNIST is only tested when present: its sources are a Debian package and a plain-HTTP mirror, which CI
 * machines (and the development sandbox) often lack, and no code path here differs from MNIST's but the checksums.
 */
class RealDatasetTest {

    private static Path dataDir;
    private static DatasetSplits mnist;

    @BeforeAll
    static void loadMnistOnce() {
        dataDir = TestData.ensure(DatasetName.MNIST);
        mnist = DatasetLoader.load(DatasetName.MNIST, dataDir, SplitSpec.defaults());
    }

    @Test
    void defaultSplitHasTheExpectedSizesAndIdentity() {
        assertEquals(50_000, mnist.train().count());
        assertEquals(10_000, mnist.validation().count());
        assertEquals(10_000, mnist.test().count());
        assertEquals(28, mnist.train().rows());
        assertEquals(28, mnist.train().cols());
        assertEquals(DatasetManifest.of(DatasetName.MNIST).checksum(), mnist.checksum());
    }

    @Test
    void labelsAreSanelyDistributed() {
        assertBalanced(mnist.train().labelCounts(), 50_000);
        assertBalanced(mnist.validation().labelCounts(), 10_000);
        assertBalanced(mnist.test().labelCounts(), 10_000);
        // Well-known counts of the MNIST test set.
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                mnist.test().labelCounts());
    }

    @Test
    void splitIsDeterministicAndDisjoint() {
        DatasetSplits again = DatasetLoader.load(DatasetName.MNIST, dataDir, SplitSpec.defaults());
        assertEquals(mnist.train(), again.train());
        assertEquals(mnist.validation(), again.validation());

        // Every training image is an image of the training file, and the two parts share no index.
        ValidationSplit split = ValidationSplit.of(60_000, 10_000);
        Set<Integer> validation = new HashSet<>();
        Arrays.stream(split.validation()).forEach(validation::add);
        assertTrue(Arrays.stream(split.train()).noneMatch(validation::contains));
        IdxArray file = IdxReader.read(dataDir.resolve("mnist/train-images-idx3-ubyte"));
        for (int k : new int[] {0, 1, 12_345, 49_999}) {
            assertImageIs(file, split.train()[k], mnist.train(), k);
        }
        for (int k : new int[] {0, 9_999}) {
            assertImageIs(file, split.validation()[k], mnist.validation(), k);
        }
    }

    @Test
    void limitsAndValidationSizesAreHonoured() {
        DatasetSplits slice = DatasetCache.get(DatasetName.MNIST, dataDir, new SplitSpec(10_000, 1000, 500, true));
        assertEquals(1000, slice.train().count());
        assertEquals(500, slice.test().count());
        assertEquals(mnist.train().head(1000), slice.train());
        assertEquals(mnist.test().head(500), slice.test());

        DatasetSplits noValidation = DatasetLoader.load(DatasetName.MNIST, dataDir,
                SplitSpec.defaults().withValidationSize(0).withTestLimit(10));
        assertEquals(60_000, noValidation.train().count());
        assertEquals(0, noValidation.validation().count());

        DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(DatasetName.MNIST, dataDir,
                SplitSpec.defaults().withValidationSize(60_000)));
        assertTrue(e.getMessage().startsWith("validationSize 60000 "), e.getMessage());
    }

    @Test
    void fashionMnistIsFetchedFromItsSourcesAndLoads() {
        // CI installs Debian's dataset-fashion-mnist, the first of its sources: never skipped, it fails without it.
        dev.sparksweep.testdata.TestData.ensure(DatasetName.FASHION_MNIST);
        DatasetSplits fashion = DatasetLoader.load(DatasetName.FASHION_MNIST, dataDir,
                SplitSpec.defaults().withTrainLimit(100));
        assertEquals(100, fashion.train().count());
        assertEquals(10_000, fashion.validation().count());
        // Fashion-MNIST is exactly balanced: 1000 test images per class.
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                fashion.test().labelCounts());
        assertEquals(DatasetManifest.of(DatasetName.FASHION_MNIST).checksum(), fashion.checksum());
    }

    @Test
    void dataDirectoryHoldsNothingButTheFiles() throws Exception {
        try (var files = Files.list(DatasetName.MNIST.directoryIn(dataDir))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".fetch-")),
                    "no staging directories left behind");
        }
    }

    private static void assertBalanced(int[] counts, int total) {
        assertEquals(total, Arrays.stream(counts).sum());
        for (int count : counts) {
            assertTrue(count > total / 10 * 0.8 && count < total / 10 * 1.2, Arrays.toString(counts));
        }
    }

    private static void assertImageIs(IdxArray file, int fileIndex, Images images, int index) {
        int size = 28 * 28;
        byte[] expected = Arrays.copyOfRange(file.data(), fileIndex * size, (fileIndex + 1) * size);
        byte[] actual = Arrays.copyOfRange(images.pixels(), index * size, (index + 1) * size);
        assertArrayEquals(expected, actual, "image " + index + " should be file image " + fileIndex);
    }
}
