package dev.sparksweep.data;

import org.apache.commons.codec.digest.DigestUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builders for small, real IDX files, tarballs and datasets, so tests exercise the same code paths as MNIST. */
final class Fixtures {

    private Fixtures() {
    }

    /** An IDX file of unsigned bytes: header, big-endian dims, data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} 28x28 images whose first two pixels encode their index, so a test can tell which is which. */
    static byte[] imagesIdx(int count) {
        byte[] pixels = new byte[count * 28 * 28];
        for (int i = 0; i < count; i++) {
            pixels[i * 784] = (byte) i;
            pixels[i * 784 + 1] = (byte) (i >> 8);
            pixels[i * 784 + 2 + i % 700] = (byte) 255;
        }
        return idx(new int[] {count, 28, 28}, pixels);
    }

    static byte[] labelsIdx(int count, int labelOffset) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) ((i + labelOffset) % 10);
        }
        return idx(new int[] {count}, labels);
    }

    /** The index a synthetic image was given by {@link #imagesIdx}. */
    static int identity(Images images, int i) {
        return images.pixel(i, 0, 0) | images.pixel(i, 0, 1) << 8;
    }

    /** A complete synthetic dataset (uncompressed content by manifest file name) and its manifest. */
    record Synthetic(Map<String, byte[]> files, DatasetManifest manifest) {

        static Synthetic create(DatasetName name, int trainCount, int testCount) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(IdxFile.TRAIN_IMAGES.fileName(), imagesIdx(trainCount));
            files.put(IdxFile.TRAIN_LABELS.fileName(), labelsIdx(trainCount, 0));
            files.put(IdxFile.TEST_IMAGES.fileName(), imagesIdx(testCount));
            files.put(IdxFile.TEST_LABELS.fileName(), labelsIdx(testCount, 3));
            return of(name, files);
        }

        static Synthetic of(DatasetName name, Map<String, byte[]> files) {
            Map<String, String> hashes = new LinkedHashMap<>();
            files.forEach((file, bytes) -> hashes.put(file, DigestUtils.sha256Hex(bytes)));
            return new Synthetic(files, new DatasetManifest(name, hashes));
        }

        /** Writes every file into {@code dir}, gzipped (with a .gz suffix) if asked. */
        Path writeTo(Path dir, boolean gzipped) {
            files.forEach((file, bytes) -> write(dir.resolve(gzipped ? file + ".gz" : file),
                    gzipped ? gzip(bytes) : bytes));
            return dir;
        }

        byte[] file(IdxFile file) {
            return files.get(file.fileName());
        }
    }

    /** A ustar archive of regular files (plus a directory entry per top-level folder, as npm writes none but tar does). */
    static byte[] tar(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tarHeader("package/", 0, '5'));
        entries.forEach((name, data) -> {
            out.writeBytes(tarHeader(name, data.length, '0'));
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        });
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] tarHeader(String name, long size, char type) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, String.format("%011o", 1_700_000_000L));
        put(header, 148, "        ");
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
