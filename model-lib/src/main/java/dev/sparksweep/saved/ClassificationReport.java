package dev.sparksweep.saved;

import dev.sparksweep.data.Images;
import dev.sparksweep.train.Batches;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * How well a network classifies a set of labelled images: accuracy, the confusion matrix and each class's precision,
 * recall and F1, from DL4J's {@link Evaluation} (or built from a distributed one).
 *
 * @param confusion {@code confusion[actual][predicted]}: images of class {@code actual} predicted as {@code predicted}
 */
public record ClassificationReport(int images, double accuracy, int[][] confusion, double[] precision,
                                   double[] recall, double[] f1) {

    /** Evaluates {@code network} on every image of {@code images}, {@code batchSize} at a time. */
    public static ClassificationReport of(MultiLayerNetwork network, Images images, int batchSize) {
        Evaluation evaluation = new Evaluation(Images.CLASSES);
        int[] order = Batches.identity(images.count());
        for (int from = 0; from < images.count(); from += batchSize) {
            int to = Math.min(from + batchSize, images.count());
            INDArray output = network.output(Batches.features(images, order, from, to), false);
            evaluation.eval(Batches.oneHotLabels(images, order, from, to), output);
        }
        return of(evaluation);
    }

    /** The report of a finished DL4J evaluation (local or merged from executors). */
    public static ClassificationReport of(Evaluation evaluation) {
        int classes = Images.CLASSES;
        int[][] confusion = new int[classes][classes];
        double[] precision = new double[classes];
        double[] recall = new double[classes];
        double[] f1 = new double[classes];
        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                confusion[actual][predicted] = evaluation.getConfusion() == null ? 0
                        : evaluation.getConfusion().getCount(actual, predicted);
            }
        }
        for (int c = 0; c < classes; c++) {
            precision[c] = ratio(confusion[c][c], column(confusion, c));
            recall[c] = ratio(confusion[c][c], row(confusion, c));
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        int images = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                images += v;
            }
        }
        ClassificationReport report = new ClassificationReport(images, 0, confusion, precision, recall, f1);
        return new ClassificationReport(images, images == 0 ? Double.NaN : (double) report.correct() / images,
                confusion, precision, recall, f1);
    }

    /** Correctly classified images. */
    public int correct() {
        int sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            sum += confusion[c][c];
        }
        return sum;
    }

    /** The report as people read it: accuracy, the confusion matrix, and a table of the per-class figures. */
    public String format() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "accuracy %.2f %% (%d of %d images)%n%n", 100 * accuracy, correct(),
                images));
        s.append("confusion matrix (rows: true class, columns: predicted class)\n      ");
        for (int c = 0; c < confusion.length; c++) {
            s.append(String.format(Locale.ROOT, "%6d", c));
        }
        s.append('\n');
        for (int actual = 0; actual < confusion.length; actual++) {
            s.append(String.format(Locale.ROOT, "%6d", actual));
            for (int predicted = 0; predicted < confusion.length; predicted++) {
                s.append(String.format(Locale.ROOT, "%6d", confusion[actual][predicted]));
            }
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%nclass  precision   recall       f1  images%n"));
        for (int c = 0; c < confusion.length; c++) {
            s.append(String.format(Locale.ROOT, "%5d %9.2f%% %7.2f%% %7.2f%% %7d%n", c, 100 * precision[c],
                    100 * recall[c], 100 * f1[c], row(confusion, c)));
        }
        return s.toString();
    }

    private static int row(int[][] m, int r) {
        int sum = 0;
        for (int v : m[r]) {
            sum += v;
        }
        return sum;
    }

    private static int column(int[][] m, int c) {
        int sum = 0;
        for (int[] row : m) {
            sum += row[c];
        }
        return sum;
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
