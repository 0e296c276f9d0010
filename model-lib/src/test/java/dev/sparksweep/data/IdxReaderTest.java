package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    private static final int[] DIMS = {5, 28, 28};
    private static final int SIZE = 5 * 28 * 28;

    @TempDir
    Path dir;

    private static byte[] pixels(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7);
        }
        return data;
    }

    @Test
    void readsRawFile() {
        Path file = Fixtures.write(dir.resolve("images-idx3-ubyte"), Fixtures.idx(DIMS, pixels(SIZE)));

        IdxArray array = IdxReader.read(file);

        assertArrayEquals(DIMS, array.dims());
        assertArrayEquals(pixels(SIZE), array.data());
        assertEquals((SIZE - 1) * 7 & 0xFF, array.unsigned(SIZE - 1));
    }

    @Test
    void readsGzipByMagicBytesWhateverTheName() {
        byte[] gz = Fixtures.gzip(Fixtures.idx(DIMS, pixels(SIZE)));
        Path suffixed = Fixtures.write(dir.resolve("images-idx3-ubyte.gz"), gz);
        Path unsuffixed = Fixtures.write(dir.resolve("images-idx3-ubyte"), gz);

        IdxArray expected = new IdxArray(DIMS, pixels(SIZE));
        assertEquals(expected, IdxReader.read(suffixed));
        assertEquals(expected, IdxReader.read(unsuffixed));
    }

    @Test
    void readsUnsignedValues() {
        Path file = Fixtures.write(dir.resolve("labels"), Fixtures.idx(new int[] {3}, new byte[] {0, 9, (byte) 200}));

        IdxArray array = IdxReader.read(file);

        assertEquals(200, array.unsigned(2));
        assertEquals(9, array.unsigned(1));
    }

    @Test
    void truncatedDataNamesFileAndSizes() {
        Path file = Fixtures.write(dir.resolve("short"), Fixtures.idx(DIMS, pixels(SIZE - 10)));

        assertMessage(file, "expected 3920 bytes of data for dims [5, 28, 28], found 3910");
    }

    @Test
    void truncatedGzipDataIsReportedToo() {
        Path file = Fixtures.write(dir.resolve("short.gz"), Fixtures.gzip(Fixtures.idx(DIMS, pixels(SIZE - 1))));

        assertMessage(file, "expected 3920 bytes of data for dims [5, 28, 28], found 3919");
    }

    @Test
    void cutGzipStreamIsReported() {
        byte[] gz = Fixtures.gzip(Fixtures.idx(DIMS, pixels(SIZE)));
        Path file = Fixtures.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertMessage(file, "corrupt or truncated gzip stream");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] data = Arrays.copyOf(pixels(SIZE), SIZE + 3);
        byte[] bytes = Fixtures.idx(DIMS, new byte[0]);
        byte[] file = Arrays.copyOf(bytes, bytes.length + data.length);
        System.arraycopy(data, 0, file, bytes.length, data.length);
        Path path = Fixtures.write(dir.resolve("long"), file);

        assertMessage(path, "expected 3920 bytes of data for dims [5, 28, 28], found 3923 (trailing bytes");
    }

    @Test
    void badMagicIsRejected() {
        byte[] bytes = Fixtures.idx(DIMS, pixels(SIZE));
        bytes[0] = 0x12;
        bytes[1] = 0x34;
        Path file = Fixtures.write(dir.resolve("magic"), bytes);

        assertMessage(file, "not an IDX file: magic starts with 0x12 0x34");
    }

    @Test
    void otherDataTypesAreRejected() {
        byte[] bytes = Fixtures.idx(DIMS, pixels(SIZE));
        bytes[2] = 0x0D;
        Path file = Fixtures.write(dir.resolve("floats"), bytes);

        assertMessage(file, "unsupported IDX data type 0x0d (float); only 0x08 (unsigned byte) is supported");
    }

    @Test
    void zeroDimensionIsRejected() {
        Path file = Fixtures.write(dir.resolve("zero"), Fixtures.idx(new int[] {5, 0, 28}, new byte[0]));

        assertMessage(file, "IDX dimension 1 is 0 in dims [5, 0, 28]");
    }

    @Test
    void tooManyDimensionsAreRejected() {
        byte[] bytes = Fixtures.idx(new int[] {1, 1, 1, 1, 1}, new byte[1]);
        Path file = Fixtures.write(dir.resolve("five"), bytes);

        assertMessage(file, "declares 5 dimensions; expected 1 to 4");
    }

    @Test
    void emptyAndMissingFilesAreReported() {
        assertMessage(Fixtures.write(dir.resolve("empty"), new byte[0]), "only 0 bytes, the header needs 4");
        assertMessage(dir.resolve("absent"), "file does not exist");
    }

    private static void assertMessage(Path file, String problem) {
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
