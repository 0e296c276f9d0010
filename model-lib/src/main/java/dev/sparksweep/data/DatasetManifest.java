package dev.sparksweep.data;

import org.apache.commons.codec.digest.DigestUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The expected SHA-256 of each file of a dataset, by uncompressed file name, in a fixed order.
 * Hashes are of the uncompressed content so that a raw copy and a gzipped one are the same data.
 *
 * <p>Tests build manifests of small synthetic files with the canonical constructor.
 */
public record DatasetManifest(DatasetName dataset, Map<String, String> sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public DatasetManifest {
        if (dataset == null) {
            throw new IllegalArgumentException("manifest needs a dataset");
        }
        if (sha256 == null || sha256.isEmpty()) {
            throw new IllegalArgumentException("manifest of " + dataset + " lists no files");
        }
        sha256.forEach((file, hash) -> {
            if (file == null || file.isBlank() || file.contains("/") || file.contains("\\")) {
                throw new IllegalArgumentException("manifest of " + dataset + ": bad file name '" + file + "'");
            }
            if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("manifest of " + dataset + ": '" + hash + "' for " + file
                        + " is not a lower-case hex SHA-256");
            }
        });
        // Map.copyOf would lose the order the checksum depends on.
        sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    /** The published files of a dataset, as distributed by its authors. */
    public static DatasetManifest of(DatasetName name) {
        List<String> hashes = switch (name) {
            case MNIST -> List.of(
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
            case FASHION_MNIST -> List.of(
                    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
        };
        Map<String, String> byFile = new LinkedHashMap<>();
        IdxFile[] files = IdxFile.values();
        for (int i = 0; i < files.length; i++) {
            byFile.put(files[i].fileName(), hashes.get(i));
        }
        return new DatasetManifest(name, byFile);
    }

    public List<String> fileNames() {
        return List.copyOf(sha256.keySet());
    }

    /**
     * A stable identity of the dataset's content, computable without the files: the SHA-256 of the file hashes
     * in manifest order, each followed by a newline. Recorded with results so runs on different data never mix.
     */
    public String checksum() {
        return DigestUtils.sha256Hex(sha256.values().stream().map(h -> h + "\n").collect(Collectors.joining()));
    }

    /** Checks one manifest file in {@code dir}, raw or .gz, hashing its uncompressed content. */
    public FileCheck check(Path dir, String fileName) {
        String expected = sha256.get(fileName);
        if (expected == null) {
            throw new IllegalArgumentException(fileName + " is not a file of " + dataset + "; expected one of "
                    + sha256.keySet());
        }
        Path absoluteDir = dir.toAbsolutePath().normalize();
        Optional<Path> found = locate(absoluteDir, fileName);
        if (found.isEmpty()) {
            return new FileCheck.Missing(fileName, absoluteDir);
        }
        Path path = found.get();
        try {
            String actual = FileDigests.sha256(path);
            return actual.equals(expected)
                    ? new FileCheck.Valid(fileName, path)
                    : new FileCheck.Mismatch(fileName, path, expected, actual);
        } catch (IOException e) {
            return new FileCheck.Unreadable(fileName, path, e.toString());
        }
    }

    public List<FileCheck> checkAll(Path dir) {
        return sha256.keySet().stream().map(name -> check(dir, name)).toList();
    }

    /** Throws a {@link DataException} listing every missing, corrupt or unreadable file. */
    public void verify(Path dir) {
        List<FileCheck> problems = checkAll(dir).stream().filter(c -> !c.isValid()).toList();
        if (problems.isEmpty()) {
            return;
        }
        String details = problems.stream().map(FileCheck::describe).collect(Collectors.joining("\n  "));
        String hint = problems.stream().anyMatch(p -> p instanceof FileCheck.Missing)
                ? "\nTo download it, run: ./sparksweep fetch-data --dataset " + dataset.id()
                : "\nDelete the bad file(s) and run: ./sparksweep fetch-data --dataset " + dataset.id();
        throw new DataException("dataset " + dataset.id() + " in " + dir.toAbsolutePath().normalize()
                + " failed verification:\n  " + details + hint);
    }

    /**
     * The file for {@code fileName} in {@code dir}: the raw file if present, else {@code fileName.gz}.
     * Raw wins because that is what the fetcher writes; a leftover .gz beside it is ignored.
     */
    public static Optional<Path> locate(Path dir, String fileName) {
        return Stream.of(fileName, fileName + ".gz")
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().normalize())
                .findFirst();
    }
}
