package dev.sparksweep.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), raw or gzipped. Only unsigned bytes are supported: every dataset here stores
 * pixels and labels that way, and a wider type would mean the file is not what we think it is.
 *
 * <p>Header: two zero bytes, a dtype byte, the number of dimensions, then each dimension as a big-endian int.
 */
public final class IdxReader {

    static final int UNSIGNED_BYTE = 0x08;
    static final int MAX_DIMENSIONS = 4;

    private IdxReader() {
    }

    public static IdxArray read(Path file) {
        Path path = file.toAbsolutePath();
        try (InputStream in = Decompression.open(path)) {
            return read(in, path);
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": file does not exist", e);
        } catch (DataException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DataException(path + ": corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(path + ": cannot read IDX file (" + e + ")", e);
        }
    }

    private static IdxArray read(InputStream in, Path path) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataException(path + ": not an IDX file: only " + magic.length + " bytes, the header needs 4");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataException(String.format(
                    "%s: not an IDX file: magic starts with 0x%02x 0x%02x, expected 0x00 0x00",
                    path, magic[0] & 0xFF, magic[1] & 0xFF));
        }
        int dtype = magic[2] & 0xFF;
        if (dtype != UNSIGNED_BYTE) {
            throw new DataException(String.format(
                    "%s: unsupported IDX data type 0x%02x (%s); only 0x08 (unsigned byte) is supported",
                    path, dtype, dtypeName(dtype)));
        }
        int ndim = magic[3] & 0xFF;
        if (ndim < 1 || ndim > MAX_DIMENSIONS) {
            throw new DataException(path + ": IDX header declares " + ndim
                    + " dimensions; expected 1 to " + MAX_DIMENSIONS);
        }
        byte[] dimBytes = in.readNBytes(4 * ndim);
        if (dimBytes.length < 4 * ndim) {
            throw new DataException(path + ": truncated IDX header: " + ndim + " dimensions need "
                    + 4 * ndim + " bytes, found " + dimBytes.length);
        }
        int[] dims = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            int o = 4 * i;
            dims[i] = (dimBytes[o] & 0xFF) << 24 | (dimBytes[o + 1] & 0xFF) << 16
                    | (dimBytes[o + 2] & 0xFF) << 8 | (dimBytes[o + 3] & 0xFF);
        }
        long expected = 1;
        for (int i = 0; i < ndim; i++) {
            if (dims[i] <= 0) {
                throw new DataException(path + ": IDX dimension " + i + " is " + dims[i] + " in dims "
                        + Arrays.toString(dims) + "; every dimension must be positive");
            }
            expected *= dims[i];
        }
        // Arrays cannot be larger; a header asking for more is corrupt rather than merely big.
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DataException(path + ": dims " + Arrays.toString(dims) + " declare " + expected
                    + " bytes, more than an array can hold");
        }
        byte[] data = in.readNBytes((int) expected);
        long found = data.length;
        if (found == expected) {
            found += in.transferTo(OutputStream.nullOutputStream());
        }
        if (found != expected) {
            throw new DataException(path + ": expected " + expected + " bytes of data for dims "
                    + Arrays.toString(dims) + ", found " + found
                    + (found < expected ? " (file truncated)" : " (trailing bytes after the data)"));
        }
        return new IdxArray(dims, data);
    }

    private static String dtypeName(int dtype) {
        return switch (dtype) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }
}
