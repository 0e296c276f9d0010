package dev.sparksweep.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** Hex SHA-256 of the file's uncompressed content, from the per-JVM cache when the file is unchanged. */
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
            hash = copyAndHash(in, OutputStream.nullOutputStream());
        }
        CACHE.put(key, hash);
        return hash;
    }

    /** Streams {@code in} to {@code out}, returning the hex SHA-256 of what passed through. */
    static String copyAndHash(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        // DigestOutputStream does not buffer, so nothing is left to flush and out stays open for the caller.
        in.transferTo(new DigestOutputStream(out, digest));
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
