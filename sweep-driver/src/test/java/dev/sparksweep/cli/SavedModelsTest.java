package dev.sparksweep.cli;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.saved.ModelCard;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.search.SweepConfig;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The winner as a model, end to end on real MNIST: a sweep keeps its best-k networks, {@code evaluate} and
 * {@code predict} use them, {@code refit --best} trains the best configuration again and its saved model evaluates to
 * the accuracy its {@code models} row records; bad model and image files get one line each.
 */
class SavedModelsTest {

    private static final Pattern ACCURACY = Pattern.compile("accuracy (\\d+\\.\\d+) % \\((\\d+) of (\\d+) images\\)");

    @TempDir
    Path dir;

    private Path sweepFile() throws IOException {
        return Files.writeString(dir.resolve("keep.conf"), """
                sweep {
                  name = keep
                  space {
                    family = [rnn, gru]
                    layers = [1]
                    hidden = [16]
                    learning-rate = [0.002, 0.01]
                    batch-size = [50]
                    iterations = [60]
                    seed = [4]
                  }
                  data { validation-size = 300, train-limit = 1000, test-limit = 500 }
                  train { eval-every = 30, eval-batch-size = 500, save-models = best-k, best-k = 2 }
                }
                """);
    }

    private static List<Row> rows(Path out, String table, String columns) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            return spark.read().parquet(out.resolve(table).toString()).selectExpr(columns.split(",")).collectAsList();
        }
    }

    private static Set<Path> models(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".zip")).collect(Collectors.toSet());
        }
    }

    /** The accuracy figure {@code evaluate} printed, as a fraction. */
    private static double accuracy(CliRun run) {
        Matcher m = ACCURACY.matcher(run.out());
        assertTrue(m.find(), run.out());
        return Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(3));
    }

    /** The confusion matrix lines {@code evaluate} printed. */
    private static List<String> confusion(String out) {
        return out.lines().dropWhile(l -> !l.startsWith("confusion matrix")).limit(12).toList();
    }

    @Test
    void aSweepKeepsItsBestModelsWhichEvaluatePredictAndRefit() throws IOException {
        Path out = dir.resolve("results");
        CliRun sweep = CliRun.of("run", sweepFile().toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, sweep.exit(), sweep.err());

        // best-k = 2 of 4: the two best by final validation accuracy stay, with their cards.
        List<Row> trials = rows(out, "leaderboard", "trial_id,final_val_accuracy,model_path,config_id");
        assertEquals(4, trials.size());
        Path folder = out.resolve("models").resolve("keep");
        List<Row> ranked = trials.stream().sorted(Comparator.comparingDouble((Row r) -> r.getDouble(1)).reversed())
                .toList();
        Set<Path> expected = Set.of(folder.resolve(ranked.get(0).getString(0) + ".zip").toAbsolutePath(),
                folder.resolve(ranked.get(1).getString(0) + ".zip").toAbsolutePath());
        assertEquals(expected, models(folder));
        for (Row best : ranked.subList(0, 2)) {
            assertEquals(folder.resolve(best.getString(0) + ".zip").toAbsolutePath().toString(), best.getString(2));
        }
        Path bestModel = Path.of(ranked.get(0).getString(2));
        ModelCard card = SavedModel.read(bestModel).card();
        assertEquals(ranked.get(0).getString(0), card.trialId());
        assertEquals(ranked.get(0).getString(3), card.configId());
        assertEquals(300, card.validationImages());
        assertEquals(ranked.get(0).getDouble(1), card.metric("final_validation_accuracy"), 1e-12);

        // evaluate on the validation split the sweep held out gives the accuracy the trial recorded there.
        CliRun validation = CliRun.of("evaluate", bestModel.toString(), "--split", "validation");
        assertEquals(0, validation.exit(), validation.err());
        assertEquals(ranked.get(0).getDouble(1), accuracy(validation), 1.0 / 300 + 1e-12);
        assertTrue(validation.out().contains("confusion matrix") && validation.out().contains("precision"));
        CliRun test = CliRun.of("evaluate", bestModel.toString());
        assertEquals(0, test.exit(), test.err());
        double testAccuracy = accuracy(test);
        assertTrue(testAccuracy > 0.3, "trained well above chance (0.1): " + testAccuracy);
        CliRun distributed = CliRun.of("evaluate", bestModel.toString(), "--master", "local[2]");
        assertEquals(0, distributed.exit(), distributed.err());
        assertEquals(testAccuracy, accuracy(distributed), 1e-4 + 1e-12, "dl4j-spark's evaluation over executors");
        assertEquals(confusion(test.out()), confusion(distributed.out()));

        // predict: MNIST's own test file, and PNGs; each line a name, a class and a probability.
        Path images = DatasetName.MNIST.directoryIn(SweepConfig.load(null, java.util.Map.of()).runtime().dataDir())
                .resolve("t10k-images-idx3-ubyte");
        CliRun predict = CliRun.of("predict", bestModel.toString(), "--images", images.toString());
        assertEquals(0, predict.exit(), predict.err());
        assertEquals(10_001, predict.out().lines().filter(l -> !l.isBlank()).count(), "a header and 10,000 lines");
        assertTrue(predict.out().lines().skip(1).allMatch(l -> l.matches("t10k-images-idx3-ubyte\\[\\d+] +\\d +"
                + "\\d+\\.\\d\\d%")), "line format");
        BufferedImage big = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        Path png = dir.resolve("big.png");
        ImageIO.write(big, "png", png.toFile());
        CliRun refused = CliRun.of("predict", bestModel.toString(), "--images", png.toString());
        assertEquals(2, refused.exit());
        refused.oneLine();
        assertTrue(refused.err().contains("holds 32x32 images; the model takes 28x28"), refused.err());

        // refit --best: trained again on training + validation images; its model evaluates to its models row.
        CliRun refit = CliRun.of("refit", "--out", out.toString(), "--best", "--iterations", "80",
                "--train-limit", "1300");
        assertEquals(0, refit.exit(), refit.err());
        List<Row> refits = rows(out, "models", "model_path,test_accuracy,config_id,train_images,iterations,"
                + "data_parallel,source_trial_id,status");
        assertEquals(1, refits.size());
        Row row = refits.get(0);
        assertEquals(1300, row.getInt(3));
        assertEquals(80, row.getInt(4));
        assertEquals("ok", row.getString(7));
        assertNotNull(row.getString(6));
        CliRun refitted = CliRun.of("evaluate", row.getString(0));
        assertEquals(0, refitted.exit(), refitted.err());
        assertEquals(row.getDouble(1), accuracy(refitted), 1e-4 + 1e-12, "the models row's test accuracy");
        assertEquals(0, SavedModel.read(Path.of(row.getString(0))).card().validationImages());
        CliRun noValidation = CliRun.of("evaluate", row.getString(0), "--split", "validation");
        assertEquals(2, noValidation.exit());
        assertTrue(noValidation.err().contains("has no validation split"), noValidation.err());

        // Data-parallel with dl4j-spark over local[2]: trained well beyond its random start, recorded as such.
        // 320 iterations: at 160, parameter averaging over two workers once ended at exactly 0.3 on a loaded machine.
        CliRun parallel = CliRun.of("refit", "--out", out.toString(), "--best", "--iterations", "320",
                "--train-limit", "1300", "--data-parallel", "--master", "local[2]");
        assertEquals(0, parallel.exit(), parallel.err());
        List<Row> both = rows(out, "models", "model_path,test_accuracy,data_parallel,workers,training_master")
                .stream().filter(r -> r.getBoolean(2)).toList();
        assertEquals(1, both.size());
        assertEquals(2, both.get(0).getInt(3));
        assertTrue(both.get(0).getString(4).startsWith("ParameterAveragingTrainingMaster"));
        assertTrue(both.get(0).getDouble(1) > 0.3, "trained well above chance: " + both.get(0).getDouble(1));
        CliRun parallelModel = CliRun.of("evaluate", both.get(0).getString(0));
        assertEquals(both.get(0).getDouble(1), accuracy(parallelModel), 1e-4 + 1e-12);

        // A damaged model file: one line naming it, exit 2.
        Path copy = dir.resolve("copy.zip");
        byte[] bytes = Files.readAllBytes(bestModel);
        Files.write(copy, Arrays.copyOf(bytes, bytes.length - 100));
        Files.copy(SavedModel.cardOf(bestModel), SavedModel.cardOf(copy));
        CliRun damaged = CliRun.of("evaluate", copy.toString());
        assertEquals(2, damaged.exit());
        damaged.oneLine();
        assertTrue(damaged.err().contains(copy + ": damaged or replaced"), damaged.err());
        CliRun unknown = CliRun.of("refit", "--out", out.toString(), "--trial", "nosuchtrial");
        assertEquals(2, unknown.exit());
        unknown.oneLine();

        // A rerun that keeps fewer drops the worse one, keeping the best.
        CliRun rerun = CliRun.of("run", sweepFile().toString(), "--master", "local[2]", "--out", out.toString(),
                "-Dsweep.train.best-k=1");
        assertEquals(0, rerun.exit(), rerun.err());
        assertEquals(Set.of(bestModel), models(folder));
    }
}
