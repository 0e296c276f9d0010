package dev.sparksweep.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of a tar reader to take files out of an npm tarball without depending on an external {@code tar}:
 * ustar and GNU headers, GNU long names ('L') and pax 'path' records. Links, directories and other entries are
 * skipped. Nothing is written here; the caller decides what to keep, by entry path.
 */
final class TarReader {

    /** Receives each regular file; {@code content} ends at the entry's end and need not be read or closed. */
    @FunctionalInterface
    interface FileHandler {
        void file(String path, long size, InputStream content) throws IOException;
    }

    private static final int BLOCK = 512;

    private TarReader() {
    }

    static void forEachFile(InputStream tar, FileHandler handler) throws IOException {
        byte[] header = new byte[BLOCK];
        String pendingName = null;
        for (long entry = 0; ; entry++) {
            int read = tar.readNBytes(header, 0, BLOCK);
            if (read == 0 || (read == BLOCK && isZero(header))) {
                return; // end-of-archive marker, or an archive whose writer omitted it
            }
            if (read < BLOCK) {
                throw new IOException("truncated tar archive: header of entry " + entry + " has " + read + " bytes");
            }
            checkHeaderChecksum(header, entry);
            long size = number(header, 124, 12);
            char type = (char) header[156];
            String name = pendingName != null ? pendingName : headerName(header);
            pendingName = null;
            Bounded content = new Bounded(tar, size);
            switch (type) {
                case '0', '\0', '7' -> handler.file(name, size, content);
                case 'L' -> pendingName = cString(content.readAllBytes());
                case 'x' -> pendingName = paxPath(content.readAllBytes());
                default -> {
                    // directories, links, global pax headers: nothing to extract
                }
            }
            tar.skipNBytes(content.remaining + padding(size));
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static void checkHeaderChecksum(byte[] header, long entry) throws IOException {
        long stored = number(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
        }
        if (sum != stored) {
            throw new IOException("not a tar archive: header checksum mismatch at entry " + entry);
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar && header[263] == '0' ? cString(header, 345, 155) : ""; // POSIX ustar only, not GNU
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Octal ASCII (space or NUL terminated), or GNU base-256 when the high bit of the first byte is set. */
    private static long number(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7F;
            for (int i = offset + 1; i < offset + length; i++) {
                value = value << 8 | (header[i] & 0xFF);
            }
            return value;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || (b == ' ' && value > 0)) {
                break;
            }
            if (b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("not a tar archive: bad octal digit in header field at offset " + offset);
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    private static String cString(byte[] bytes) {
        return cString(bytes, 0, bytes.length);
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Pax records are "{length} {key}={value}\n"; only the path matters here. */
    private static String paxPath(byte[] pax) {
        int pos = 0;
        String path = null;
        while (pos < pax.length) {
            int space = indexOf(pax, (byte) ' ', pos);
            if (space < 0) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(new String(pax, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= 0 || pos + length > pax.length) {
                break;
            }
            String record = new String(pax, space + 1, pos + length - space - 1, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                path = record.substring("path=".length()).stripTrailing();
            }
            pos += length;
        }
        return path;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** An entry's content: stops at its end, and closing it leaves the archive stream open. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated tar archive: entry ends early");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new IOException("truncated tar archive: entry ends early");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() {
            // the archive stream belongs to the reader
        }
    }
}
