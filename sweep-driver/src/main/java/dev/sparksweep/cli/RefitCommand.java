package dev.sparksweep.cli;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DatasetLoader;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsFolder;
import dev.sparksweep.refit.DataParallelRefit;
import dev.sparksweep.refit.LocalRefit;
import dev.sparksweep.refit.RefitOutcome;
import dev.sparksweep.refit.RefitSettings;
import dev.sparksweep.refit.RefitSource;
import dev.sparksweep.refit.Refits;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SweepConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sparksweep refit}: trains a sweep's chosen configuration on all training images, tests and saves it. */
@Command(name = "refit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a configuration a sweep chose (by default the best by mean validation accuracy over its"
                + " seeds) again from scratch on the training and validation images together, test it on the whole"
                + " test set, save it under <out>/models/refit/ and add a row to the models table.",
                "With --data-parallel it trains with dl4j-spark over the cluster's executors."})
final class RefitCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: sparksweep.output).")
    private Path out;

    @Option(names = "--sweep", paramLabel = "NAME", description = "The sweep to refit from (needed when the results"
            + " hold several).")
    private String sweep;

    @ArgGroup(exclusive = true)
    private Choice choice = new Choice();

    /** Which configuration: at most one of these; --best when none. */
    static final class Choice {
        @Option(names = "--best", description = "The configuration with the best mean validation accuracy (default).")
        boolean best;

        @Option(names = "--config", paramLabel = "CONFIG_ID", description = "This configuration (its best seed).")
        String config;

        @Option(names = "--trial", paramLabel = "TRIAL_ID", description = "This trial's settings, seed included.")
        String trial;
    }

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "0",
            description = "Training iterations (default: the configuration's own).")
    private int iterations;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
            description = "Train on the first N training images only (default: all 60,000).")
    private int trainLimit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Native threads for training in this JVM (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--data-parallel", description = "Train with dl4j-spark over every executor of --master.")
    private boolean dataParallel;

    @Option(names = "--averaging-frequency", paramLabel = "N", defaultValue = "5",
            description = "With --data-parallel: mini-batches each worker fits between parameter averagings"
                    + " (default: ${DEFAULT-VALUE}).")
    private int averagingFrequency;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: sparksweep.spark.master).")
    private String master;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        if (iterations < 0 || trainLimit < 0 || threads < 1 || averagingFrequency < 1) {
            throw new UsageException("--iterations and --train-limit must be 0 or more, --threads and"
                    + " --averaging-frequency at least 1");
        }
        RuntimeSettings runtime = SweepConfig.load(null, shared.overrides).runtime();
        if (master != null) {
            runtime = runtime.withMaster(master);
        }
        Path dir = (out != null ? out : runtime.output()).toAbsolutePath();
        try (SparkSession spark = SparkSessions.create("sparksweep refit", runtime, master != null, 1)) {
            new ResultsFolder(spark.sparkContext().hadoopConfiguration(), dir.toString()).requireResults();
            LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
            RefitSource source = choose(store);
            main.out.printf("refit: %s (%s), chosen as %s%n", source.model(), source.configId(), source.why());
            DatasetName dataset = DatasetName.parse(source.dataset());
            // The driver reads the data in either mode: data-parallel training ships it to the executors.
            DataFetcher.ensure(dataset, runtime.dataDir(), runtime.parsedSourcesFor(dataset), main.out::println);
            DatasetSplits data = DatasetLoader.load(dataset, runtime.dataDir(),
                    new SplitSpec(0, trainLimit, 0, true));
            if (!data.checksum().equals(source.datasetChecksum())) {
                throw new UsageException("the " + dataset.id() + " files in " + runtime.dataDir() + " have checksum "
                        + data.checksum() + "; the sweep trained on " + source.datasetChecksum());
            }
            String modelId = Refits.modelId(source);
            Path modelFile = dir.resolve("models").resolve("refit").resolve(modelId + ".zip");
            RefitSettings settings = new RefitSettings(iterations, trainLimit, threads, 1000);
            RefitOutcome outcome = dataParallel
                    ? DataParallelRefit.train(spark, source, settings, averagingFrequency, data, modelId, modelFile,
                    main.out)
                    : LocalRefit.train(source, settings, data, modelId, modelFile, main.out);
            store.appendModel(Refits.row(outcome, spark.version()));
            main.out.printf(Locale.ROOT, "refit %s: %s, %d iterations on %d images (%s), test accuracy %.2f %% on"
                            + " %d images, %.0f s%nmodel: %s%n", modelId, source.model(), outcome.iterations(),
                    outcome.trainImages(), outcome.dataParallel() ? "data-parallel over " + outcome.workers()
                            + " workers" : "one JVM", 100 * outcome.result().testAccuracy(), outcome.testImages(),
                    outcome.wallSeconds(), modelFile);
            return 0;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e);
        }
    }

    private RefitSource choose(LeaderboardStore store) {
        String name = RefitSource.sweep(store, sweep);
        if (choice.trial != null) {
            return RefitSource.trial(store, name, choice.trial);
        }
        if (choice.config != null) {
            return RefitSource.config(store, name, choice.config);
        }
        return RefitSource.best(store, name);
    }
}
