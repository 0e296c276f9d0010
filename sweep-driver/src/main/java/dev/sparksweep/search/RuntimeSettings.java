package dev.sparksweep.search;

import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where and how sweeps run, as opposed to what they search: data location and sources, the output folder, the Spark
 * master and extra Spark settings.
 *
 * @param nvidiaSmi      the command executors run to check the compute capability of the GPU a trial was assigned
 * @param authSecretFile file with the cluster's shared secret for {@code spark.authenticate}; empty for none
 * @param compactAbove   a run compacts a results table that has at least this many small files (0: never)
 */
public record RuntimeSettings(Path dataDir, Map<DatasetName, List<String>> sources, Path output,
                              String master, Map<String, String> sparkConf, Duration progressInterval,
                              String nvidiaSmi, String authSecretFile, int compactAbove) {

    public RuntimeSettings {
        sources = Map.copyOf(sources);
        sparkConf = Map.copyOf(sparkConf);
    }

    /** Sources to try, in order, for one dataset, as written in the configuration (see {@link DataSource#parse}). */
    public List<String> sourcesFor(DatasetName dataset) {
        return sources.getOrDefault(dataset, List.of());
    }

    public List<DataSource> parsedSourcesFor(DatasetName dataset) {
        return sourcesFor(dataset).stream().map(DataSource::parse).toList();
    }

    public RuntimeSettings withOutput(Path value) {
        return new RuntimeSettings(dataDir, sources, value, master, sparkConf, progressInterval, nvidiaSmi,
                authSecretFile, compactAbove);
    }

    public RuntimeSettings withMaster(String value) {
        return new RuntimeSettings(dataDir, sources, output, value, sparkConf, progressInterval, nvidiaSmi,
                authSecretFile, compactAbove);
    }
}
