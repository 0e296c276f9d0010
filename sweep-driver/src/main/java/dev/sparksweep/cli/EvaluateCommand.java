package dev.sparksweep.cli;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DatasetLoader;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.saved.ClassificationReport;
import dev.sparksweep.saved.ModelCard;
import dev.sparksweep.saved.ModelFileException;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.refit.DistributedEvaluation;
import dev.sparksweep.search.SweepConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sparksweep evaluate MODEL.zip}: a saved model's accuracy, confusion matrix and per-class figures. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model (a sweep's <out>/models/<sweep>/<trial>.zip, or a refit's) on a"
                + " dataset split: accuracy, the confusion matrix and each class's precision, recall and F1."})
final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "MODEL.zip", description = "The model file; its card MODEL.json must be"
            + " beside it.")
    private Path model;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist or fashion-mnist (default: the dataset the model was trained on).")
    private String dataset;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "test (default) or validation: the images held out of the model's training, as its"
                    + " sweep split them.")
    private String split;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--master", paramLabel = "URL", description = "Evaluate on this Spark cluster's executors"
            + " (dl4j-spark's distributed evaluation) instead of in this JVM.")
    private String master;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        SavedModel saved = read(model);
        ModelCard card = saved.card();
        RuntimeSettings runtime = SweepConfig.load(null, shared.overrides).runtime();
        Images images = images(card, dataset, split, runtime, main);
        ClassificationReport report;
        if (master == null) {
            report = ClassificationReport.of(saved.network(), images, batchSize);
        } else {
            try (SparkSession spark = SparkSessions.create("sparksweep evaluate", runtime.withMaster(master), true,
                    1)) {
                report = DistributedEvaluation.of(spark, saved.network(), images, batchSize);
            }
        }
        main.out.printf(Locale.ROOT, "%s (%s, trial %s) on the %s split of %s (%d images)%n%n", model,
                card.model(), card.trialId() == null ? "none: a refit" : card.trialId(), split.strip(),
                dataset == null ? card.dataset() : dataset, images.count());
        main.out.print(report.format());
        return 0;
    }

    /** The saved model at {@code file}, or a usage error naming the file and the problem. */
    static SavedModel read(Path file) {
        try {
            return SavedModel.read(file);
        } catch (ModelFileException e) {
            throw new UsageException(e);
        }
    }

    /**
     * The images of {@code split} ({@code test} or {@code validation}) of {@code datasetName} (null: the model's own),
     * split as the model's sweep split them, after checking that they are the shape the model takes.
     */
    static Images images(ModelCard card, String datasetName, String split, RuntimeSettings runtime, Main main) {
        DatasetName name;
        try {
            name = DatasetName.parse(datasetName == null ? card.dataset() : datasetName);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset: " + e.getMessage());
        }
        boolean validation = switch (split.strip().toLowerCase(Locale.ROOT)) {
            case "test" -> false;
            case "validation" -> true;
            default -> throw new UsageException("--split: '" + split + "' is not one of test, validation");
        };
        if (validation && card.validationImages() == 0) {
            throw new UsageException("--split validation: model " + card.model() + " was trained on every training"
                    + " image (a refit), so it has no validation split; use --split test");
        }
        if (!name.id().equals(card.dataset())) {
            main.out.printf("note: the model was trained on %s; evaluating it on %s%n", card.dataset(), name.id());
        }
        DataFetcher.ensure(name, runtime.dataDir(), runtime.parsedSourcesFor(name), main.out::println);
        DatasetSplits data = DatasetLoader.load(name, runtime.dataDir(),
                SplitSpec.defaults().withValidationSize(validation ? card.validationImages() : 0));
        Images images = validation ? data.validation() : data.test();
        try {
            card.input().check(images.rows(), images.cols(), name.id());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e);
        }
        return images;
    }
}
