package dev.sparksweep.cli;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.FetchReport;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SweepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparksweep fetch-data}: makes sure a dataset's verified IDX files are in the data folder. */
@Command(name = "fetch-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Put the dataset's four IDX files into <data-dir>/<dataset> if they are missing, trying the"
                + " sources in sparksweep.data.sources in order and verifying every file by SHA-256."})
final class FetchDataCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    private String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data folder (default: sparksweep.data.dir, ~/.sparksweep/data).")
    private Path dataDir;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        RuntimeSettings runtime = SweepConfig.load(null, shared.overrides).runtime();
        DatasetName name;
        try {
            name = DatasetName.parse(dataset);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset: " + e.getMessage());
        }
        Path dir = dataDir != null ? dataDir : runtime.dataDir();
        FetchReport report = DataFetcher.ensure(name, dir, runtime.parsedSourcesFor(name), main.out::println);
        if (!report.alreadyPresent()) {
            main.out.println(report.dataset().id() + ": fetched into " + report.dir() + " from " + report.source());
        }
        return 0;
    }
}
