package dev.sparksweep.cli;

import dev.sparksweep.saved.ImageFiles;
import dev.sparksweep.saved.Prediction;
import dev.sparksweep.saved.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sparksweep predict MODEL.zip --images FILE}: the class a saved model predicts for each image. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the class of each image with a saved model: prints one line per image, its name, the"
                + " predicted class and that class's probability.",
                "Images: an IDX image file (raw or gzipped, as MNIST ships), a PNG, or a folder of PNGs. PNGs must be"
                        + " the model's size (28x28) and grey-scale, light strokes on a dark background as in MNIST;"
                        + " colour, transparent or other-sized images and other formats are refused."})
final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "MODEL.zip", description = "The model file; its card MODEL.json must be"
            + " beside it.")
    private Path model;

    @Option(names = "--images", paramLabel = "FILE", required = true,
            description = "An IDX image file, a PNG image or a folder of PNG images.")
    private Path images;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        SavedModel saved = EvaluateCommand.read(model);
        ImageFiles files;
        try {
            files = ImageFiles.read(images, saved.card().input());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e);
        }
        List<Prediction> predictions = Prediction.of(saved.network(), files.images(), 1000);
        main.out.printf("%-32s %5s %11s%n", "image", "class", "probability");
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            main.out.printf(Locale.ROOT, "%-32s %5d %10.2f%%%n", files.names().get(i), p.label(),
                    100 * p.probability());
        }
        return 0;
    }
}
