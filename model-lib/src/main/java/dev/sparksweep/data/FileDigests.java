package dev.sparksweep.data;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.io.input.TeeInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of a dataset file's uncompressed content, so a raw file and its .gz hash the same.
 *
 * <p>Results are cached per JVM by (absolute path, size, modification time): every Spark task that loads the data
 * would otherwise re-hash 55 MB. Rewriting a file changes its mtime, so a stale entry needs a deliberate
 * size-and-mtime-preserving overwrite, which we accept.
 */
final class FileDigests {

    private record Key(Path path, long size, FileTime modified) {
    }

    private static final Map<Key, String> CACHE = new ConcurrentHashMap<>();

    private FileDigests() {
    }

    /**
     * Hex SHA-256 of the file's uncompressed content, from the per-JVM cache when the file is unchanged. The
     * {@link IOException} is the file system's or the decompressor's; callers add the file's name to their message.
     */
    static String sha256(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        Key key = new Key(path, attributes.size(), attributes.lastModifiedTime());
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String hash;
        try (InputStream in = Decompression.open(path)) {
            hash = DigestUtils.sha256Hex(in);
        }
        CACHE.put(key, hash);
        return hash;
    }

    /**
     * Streams {@code in} to {@code out}, returning the hex SHA-256 of what passed through: one read of a download
     * both installs and verifies it. {@code out} stays open for the caller (the tee does not close its branch).
     */
    static String copyAndHash(InputStream in, OutputStream out) throws IOException {
        return DigestUtils.sha256Hex(new TeeInputStream(in, out));
    }
}
