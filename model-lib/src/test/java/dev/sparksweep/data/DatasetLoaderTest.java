package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on small synthetic datasets, whose images carry their index so every split can be checked exactly. */
class DatasetLoaderTest {

    private static final int TRAIN = 50;
    private static final int TEST = 20;

    @TempDir
    Path dataDir;

    private final Fixtures.Synthetic synthetic = Fixtures.Synthetic.create(DatasetName.MNIST, TRAIN, TEST);

    private DatasetSplits load(SplitSpec spec) {
        return DatasetLoader.loadFrom(synthetic.manifest(), synthetic.writeTo(dataDir, true), spec);
    }

    private static int[] identities(Images images) {
        return IntStream.range(0, images.count()).map(i -> Fixtures.identity(images, i)).toArray();
    }

    @Test
    void splitsFollowTheFixedValidationSplit() {
        DatasetSplits splits = load(SplitSpec.defaults().withValidationSize(10));

        ValidationSplit expected = ValidationSplit.of(TRAIN, 10);
        assertArrayEquals(expected.train(), identities(splits.train()));
        assertArrayEquals(expected.validation(), identities(splits.validation()));
        assertArrayEquals(IntStream.range(0, TEST).toArray(), identities(splits.test()));
        assertEquals(DatasetName.MNIST, splits.dataset());
        assertEquals(synthetic.manifest().checksum(), splits.checksum());
        for (int i = 0; i < splits.validation().count(); i++) {
            assertEquals(identities(splits.validation())[i] % 10, splits.validation().label(i), "labels travel along");
        }
        assertEquals(3, splits.test().label(0));
    }

    @Test
    void limitsTakePrefixesOfTrainAndTest() {
        DatasetSplits splits = load(new SplitSpec(10, 7, 5, true));

        assertArrayEquals(Arrays.copyOf(ValidationSplit.of(TRAIN, 10).train(), 7), identities(splits.train()));
        assertEquals(10, splits.validation().count());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, identities(splits.test()));
        DatasetSplits generous = load(new SplitSpec(10, 1000, 1000, true));
        assertEquals(40, generous.train().count());
        assertEquals(TEST, generous.test().count());
    }

    @Test
    void zeroValidationKeepsAllTrainingImages() {
        DatasetSplits splits = load(SplitSpec.defaults().withValidationSize(0));

        assertArrayEquals(IntStream.range(0, TRAIN).toArray(), identities(splits.train()));
        assertEquals(0, splits.validation().count());
    }

    @Test
    void validationLeavingNoTrainingIsRejectedNamingTheValue() {
        DataException e = assertThrows(DataException.class, () -> load(SplitSpec.defaults()));

        assertTrue(e.getMessage().startsWith("validationSize 10000 leaves no training images"), e.getMessage());
        assertTrue(e.getMessage().contains("holds only 50 images"), e.getMessage());
        assertThrows(DataException.class, () -> load(SplitSpec.defaults().withValidationSize(TRAIN)));
    }

    @Test
    void checksumsAreVerifiedUnlessSwitchedOff() {
        Path dir = synthetic.writeTo(dataDir, false);
        byte[] corrupt = synthetic.file(IdxFile.TEST_IMAGES).clone();
        corrupt[corrupt.length - 1] ^= 1;
        Fixtures.write(dir.resolve("t10k-images-idx3-ubyte"), corrupt);
        SplitSpec spec = SplitSpec.defaults().withValidationSize(5);

        DataException e = assertThrows(DataException.class,
                () -> DatasetLoader.loadFrom(synthetic.manifest(), dir, spec));
        assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte").toAbsolutePath()
                + ": SHA-256 mismatch"), e.getMessage());

        assertEquals(TEST, DatasetLoader.loadFrom(synthetic.manifest(), dir, spec.withVerifyChecksums(false))
                .test().count());
    }

    @Test
    void missingFileSuggestsFetching() {
        SplitSpec spec = SplitSpec.defaults().withValidationSize(5).withVerifyChecksums(false);

        DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(DatasetName.MNIST, dataDir, spec));

        assertTrue(e.getMessage().contains(dataDir.resolve("mnist/train-images-idx3-ubyte").toAbsolutePath()
                + ": missing"), e.getMessage());
        assertTrue(e.getMessage().contains("fetch-data --dataset mnist"), e.getMessage());
    }

    @Test
    void badLabelsAndShapesNameTheFile() {
        assertProblem(IdxFile.TRAIN_LABELS, Fixtures.idx(new int[] {TRAIN}, labelsWith(12)),
                "train-labels-idx1-ubyte: label 12 at index 3 is outside 0..9");
        assertProblem(IdxFile.TEST_LABELS, Fixtures.labelsIdx(TEST + 1, 0),
                "t10k-labels-idx1-ubyte holds 21 labels but ");
        assertProblem(IdxFile.TEST_IMAGES, Fixtures.idx(new int[] {TEST, 27, 28}, new byte[TEST * 27 * 28]),
                "t10k-images-idx3-ubyte: expected images with dims [count, 28, 28], found dims [20, 27, 28]");
        assertProblem(IdxFile.TRAIN_LABELS, Fixtures.idx(new int[] {TRAIN, 1}, new byte[TRAIN]),
                "train-labels-idx1-ubyte: expected a one-dimensional label file, found dims [50, 1]");
    }

    @Test
    void rejectsManifestsWithoutTheFourFiles() {
        DatasetManifest partial = new DatasetManifest(DatasetName.MNIST,
                Map.of("train-images-idx3-ubyte", "0".repeat(64)));

        assertThrows(IllegalArgumentException.class,
                () -> DatasetLoader.loadFrom(partial, dataDir, SplitSpec.defaults()));
    }

    @Test
    void cacheReturnsTheSameSplitsPerDirectoryAndSpec() {
        synthetic.writeTo(dataDir.resolve("mnist"), false);
        SplitSpec spec = SplitSpec.defaults().withValidationSize(10).withVerifyChecksums(false);

        DatasetSplits first = DatasetCache.get(DatasetName.MNIST, dataDir, spec);

        assertSame(first, DatasetCache.get(DatasetName.MNIST, dataDir.resolve("mnist/.."), spec));
        assertNotSame(first, DatasetCache.get(DatasetName.MNIST, dataDir, spec.withTrainLimit(3)));
        assertEquals(40, first.train().count());
    }

    @Test
    void cacheForgetsFailedLoads() {
        SplitSpec spec = SplitSpec.defaults().withValidationSize(10).withVerifyChecksums(false);
        assertThrows(DataException.class, () -> DatasetCache.get(DatasetName.MNIST, dataDir, spec));

        synthetic.writeTo(dataDir.resolve("mnist"), false);

        assertEquals(40, DatasetCache.get(DatasetName.MNIST, dataDir, spec).train().count());
    }

    @Test
    void splitSpecRejectsNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> new SplitSpec(-1, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> SplitSpec.defaults().withTrainLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> SplitSpec.defaults().withTestLimit(-5));
        assertEquals(new SplitSpec(10_000, 0, 0, true), SplitSpec.defaults());
    }

    private static byte[] labelsWith(int badLabel) {
        byte[] labels = new byte[TRAIN];
        labels[3] = (byte) badLabel;
        return labels;
    }

    /** Replaces one file of the synthetic dataset and expects the load (checksums off) to fail with {@code problem}. */
    private void assertProblem(IdxFile file, byte[] replacement, String problem) {
        Map<String, byte[]> files = new LinkedHashMap<>(synthetic.files());
        files.put(file.fileName(), replacement);
        Fixtures.Synthetic broken = Fixtures.Synthetic.of(DatasetName.MNIST, files);
        Path dir = broken.writeTo(dataDir.resolve(file.name()), false);

        DataException e = assertThrows(DataException.class,
                () -> DatasetLoader.loadFrom(broken.manifest(), dir, SplitSpec.defaults().withValidationSize(5)));

        assertTrue(e.getMessage().contains(dir.toAbsolutePath() + "/" + problem), e.getMessage());
    }
}
