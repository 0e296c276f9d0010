package dev.sparksweep.data;

import org.apache.commons.codec.digest.DigestUtils;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetManifestTest {

    @TempDir
    Path dir;

    private final Fixtures.Synthetic synthetic = Fixtures.Synthetic.create(DatasetName.MNIST, 12, 4);

    @Test
    void publishedManifestsListTheFourFilesInFixedOrder() {
        List<String> names = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte");
        assertEquals(names, DatasetManifest.of(DatasetName.MNIST).fileNames());
        assertEquals(names, DatasetManifest.of(DatasetName.FASHION_MNIST).fileNames());
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                DatasetManifest.of(DatasetName.MNIST).sha256().get("train-images-idx3-ubyte"));
    }

    @Test
    void checksumIsStableAndDistinguishesDatasets() {
        // Pinned: results record this identity, so changing how it is computed would orphan them.
        // Equal to: printf '<hash>\n' for the four hashes in order | sha256sum
        assertEquals("ac89dbc26b7b0b5f68ff586bc0579a0c16e78b3436b0c71ccdd0169cbebf9ff7",
                DatasetManifest.of(DatasetName.MNIST).checksum());
        assertEquals("7b0688d0999122d67a4eb2b95499a3bf7c5afbfaef15b7295b9f619d9e48a0bc",
                DatasetManifest.of(DatasetName.FASHION_MNIST).checksum());
        assertNotEquals(DatasetManifest.of(DatasetName.MNIST).checksum(),
                DatasetManifest.of(DatasetName.FASHION_MNIST).checksum());
    }

    @Test
    void verifyAcceptsRawAndGzippedFiles() {
        assertDoesNotThrow(() -> synthetic.manifest().verify(synthetic.writeTo(dir.resolve("raw"), false)));
        assertDoesNotThrow(() -> synthetic.manifest().verify(synthetic.writeTo(dir.resolve("gz"), true)));
    }

    @Test
    void mismatchNamesFileAndBothHashes() {
        synthetic.writeTo(dir, false);
        byte[] corrupt = synthetic.file(IdxFile.TRAIN_LABELS).clone();
        corrupt[corrupt.length - 1] ^= 1;
        Path file = Fixtures.write(dir.resolve("train-labels-idx1-ubyte"), corrupt);

        DataException e = assertThrows(DataException.class, () -> synthetic.manifest().verify(dir));

        String expected = synthetic.manifest().sha256().get("train-labels-idx1-ubyte");
        assertTrue(e.getMessage().contains(file.toAbsolutePath() + ": SHA-256 mismatch, expected " + expected
                + " but the (uncompressed) content hashes to " + DigestUtils.sha256Hex(corrupt)), e.getMessage());
        assertInstanceOf(FileCheck.Mismatch.class, synthetic.manifest().check(dir, "train-labels-idx1-ubyte"));
    }

    @Test
    void missingFileIsNamedWithTheFetchCommand() {
        synthetic.writeTo(dir, false);
        Path absent = dir.resolve("t10k-images-idx3-ubyte");
        absent.toFile().delete();

        DataException e = assertThrows(DataException.class, () -> synthetic.manifest().verify(dir));

        assertTrue(e.getMessage().contains(absent.toAbsolutePath() + ": missing"), e.getMessage());
        assertTrue(e.getMessage().contains("./sparksweep fetch-data --dataset mnist"), e.getMessage());
        assertEquals(1, e.getMessage().lines().filter(l -> l.contains(": missing")).count());
    }

    @Test
    void corruptGzipIsUnreadableNotACrash() {
        synthetic.writeTo(dir, false);
        Path gz = Fixtures.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        dir.resolve("t10k-labels-idx1-ubyte").toFile().delete();

        DataException e = assertThrows(DataException.class, () -> synthetic.manifest().verify(dir));

        assertTrue(e.getMessage().contains(gz.toAbsolutePath() + ": unreadable"), e.getMessage());
    }

    @Test
    void rejectsMalformedManifests() {
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetManifest(DatasetName.MNIST, Map.of("a", "not-a-hash")));
        assertThrows(IllegalArgumentException.class, () -> new DatasetManifest(DatasetName.MNIST, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetManifest(DatasetName.MNIST, Map.of("../x", "0".repeat(64))));
    }

    @Test
    void datasetNamesParse() {
        assertEquals(DatasetName.MNIST, DatasetName.parse("mnist"));
        assertEquals(DatasetName.FASHION_MNIST, DatasetName.parse(" Fashion-MNIST "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetName.parse("cifar"));
        assertTrue(e.getMessage().contains("'cifar'") && e.getMessage().contains("mnist, fashion-mnist"),
                e.getMessage());
        assertEquals(Path.of("/d/fashion-mnist"), DataFetcher.datasetDir(Path.of("/d"), DatasetName.FASHION_MNIST));
    }
}
