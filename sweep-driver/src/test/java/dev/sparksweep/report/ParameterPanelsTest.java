package dev.sparksweep.report;

import dev.sparksweep.search.params.Params;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-parameter panels' layout on hand-built trials: a grid's values as ordered, labelled categories with the
 * points of a value spread inside its slot, a colour and a mean per model, and a sampler's draws on a numeric axis.
 */
class ParameterPanelsTest {

    /** An RNN and an LSTM over three batch sizes, three seeds each; accuracy known per trial. */
    private static List<ParameterPanels.Trial> grid() {
        List<ParameterPanels.Trial> trials = new ArrayList<>();
        int[] batches = {200, 50, 100}; // not in order: the panel orders them
        for (int b : batches) {
            for (int seed = 0; seed < 3; seed++) {
                trials.add(new ParameterPanels.Trial(b, "rnn-tanh-2x128", 0.90 + b / 10_000.0 + seed / 1000.0));
                trials.add(new ParameterPanels.Trial(b, "lstm-2x128", 0.97 + seed / 1000.0));
            }
        }
        return trials;
    }

    @Test
    void aGridsValuesAreOrderedCategoriesAndEachModelHasItsSlotAndItsMean() throws IOException {
        ParameterPanels.Panel panel = ParameterPanels.layout(Params.BATCH_SIZE, grid());
        assertEquals(List.of("50", "100", "200"), panel.labels(), "numbers in numeric order, not as text");
        assertFalse(panel.logX());
        assertEquals(List.of("lstm-2x128", "rnn-tanh-2x128"), List.copyOf(panel.points().keySet()));
        for (Map.Entry<String, List<Charts.Point>> e : panel.points().entrySet()) {
            boolean lstm = e.getKey().startsWith("lstm");
            assertEquals(9, e.getValue().size());
            for (Charts.Point p : e.getValue()) {
                // Batch 50 at 0, 100 at 1, 200 at 2: each trial in its category's half of its model's side.
                int category = (int) Math.round(p.x());
                int batch = List.of(50, 100, 200).get(category);
                assertTrue(lstm ? p.x() < category : p.x() > category, e.getKey() + " at " + p.x());
                assertTrue(Math.abs(p.x() - category) < 0.3 + 1e-9);
                if (!lstm) {
                    double seedPart = p.y() - (0.90 + batch / 10_000.0);
                    assertTrue(seedPart > -1e-9 && seedPart < 0.0021, "the point of a trial of batch " + batch);
                }
            }
            assertEquals(9, e.getValue().stream().map(Charts.Point::x).distinct().count(),
                    "the seeds of one value spread, not stacked");
            List<Charts.Point> means = panel.means().get(e.getKey());
            assertEquals(3, means.size());
            for (int c = 0; c < 3; c++) {
                int batch = List.of(50, 100, 200).get(c);
                double expected = lstm ? 0.971 : 0.90 + batch / 10_000.0 + 0.001;
                assertEquals(expected, means.get(c).y(), 1e-12, e.getKey() + " mean at batch " + batch);
                assertEquals(c + (lstm ? -0.15 : 0.15), means.get(c).x(), 1e-12, "the mean at its slot's centre");
            }
        }
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Charts.png(ParameterPanels.chart(panel))));
        assertEquals(Charts.WIDTH, png.getWidth());
    }

    @Test
    void aValueOneModelAloneHasIsCentredAndTooManyModelsShareOneColour() {
        List<ParameterPanels.Trial> trials = List.of(new ParameterPanels.Trial("lstm", "lstm-2x128", 0.98),
                new ParameterPanels.Trial("rnn", "rnn-tanh-2x128", 0.96),
                new ParameterPanels.Trial("rnn", "rnn-tanh-2x128", 0.97));
        ParameterPanels.Panel family = ParameterPanels.layout(Params.FAMILY, trials);
        assertEquals(List.of("lstm", "rnn"), family.labels());
        assertEquals(0.0, family.means().get("lstm-2x128").get(0).x(), 1e-12);
        assertEquals(1.0, family.means().get("rnn-tanh-2x128").get(0).x(), 1e-12);
        assertEquals(0.965, family.means().get("rnn-tanh-2x128").get(0).y(), 1e-12);

        List<ParameterPanels.Trial> many = new ArrayList<>();
        for (int layers = 1; layers <= ParameterPanels.MAX_MODELS + 1; layers++) {
            many.add(new ParameterPanels.Trial(layers, "rnn-" + layers + "x128", 0.9 + layers / 100.0));
        }
        ParameterPanels.Panel depth = ParameterPanels.layout(Params.LAYERS, many);
        assertEquals(List.of("trials"), List.copyOf(depth.points().keySet()), "beyond " + ParameterPanels.MAX_MODELS
                + " models, one colour");
        assertEquals(ParameterPanels.MAX_MODELS + 1, depth.means().get("trials").size());
    }

    @Test
    void sampledDrawsKeepANumericAxisLogarithmicOverAWideRange() {
        List<ParameterPanels.Trial> trials = new ArrayList<>();
        for (int i = 0; i <= ParameterPanels.MAX_CATEGORIES; i++) {
            trials.add(new ParameterPanels.Trial(5e-4 * Math.pow(10, i / (double) ParameterPanels.MAX_CATEGORIES),
                    "gru-2x128", 0.98 + i / 1000.0));
        }
        ParameterPanels.Panel panel = ParameterPanels.layout(Params.LEARNING_RATE, trials);
        assertTrue(panel.labels().isEmpty());
        assertTrue(panel.logX(), "5e-4 to 5e-3");
        assertTrue(panel.means().isEmpty(), "no two draws share a value: no mean per value");
        assertEquals(trials.stream().map(t -> ((Number) t.value()).doubleValue()).toList(),
                panel.points().get("trials").stream().map(Charts.Point::x).toList());

        List<ParameterPanels.Trial> narrow = trials.stream().map(t -> new ParameterPanels.Trial(
                0.1 + ((Number) t.value()).doubleValue(), t.model(), t.accuracy())).toList();
        assertFalse(ParameterPanels.layout(Params.DROPOUT, narrow).logX());
    }

    @Test
    void aRowWrittenBeforeAParametersColumnExistedIsShownWithTheValueTrialsHadThen() {
        dev.sparksweep.search.Trial trial = dev.sparksweep.search.Trial.of(
                dev.sparksweep.model.ModelSpec.lstm(1).withHidden(8),
                new dev.sparksweep.train.TrainingConfig(20, 10, 0.003, 1, 10, 100, 1),
                new dev.sparksweep.search.DataSpec(dev.sparksweep.data.DatasetName.MNIST, 100, 500, 100), "checksum");
        dev.sparksweep.train.TrialResult result = new dev.sparksweep.train.TrialResult(
                dev.sparksweep.train.TrialStatus.OK, null, 0.9, 20, 0.9, 0.9, 0.5, List.of(), 20, 2.0, 1.5, 13.3, 500,
                1.9);
        java.time.Instant now = java.time.Instant.now();
        org.apache.spark.sql.Row written = dev.sparksweep.leaderboard.LeaderboardRows.leaderboardRow("s",
                new dev.sparksweep.leaderboard.TrialOutcome(trial, result, new dev.sparksweep.leaderboard.Provenance(
                        "v", "d", "n", "s", "b", "h", "e", 0, now, now)), "id");
        org.apache.spark.sql.types.StructType schema = dev.sparksweep.leaderboard.LeaderboardSchema.LEADERBOARD;
        Object[] values = new Object[written.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = written.get(i);
        }
        org.apache.spark.sql.Row row = new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                values.clone(), schema);
        values[schema.fieldIndex(Params.AUGMENT_SHIFT.column())] = null; // written before augmentation existed
        org.apache.spark.sql.Row old = new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values,
                schema);
        List<ParameterPanels.Trial> trials = ParameterPanels.trials(Params.AUGMENT_SHIFT, List.of(row, old));
        assertEquals(2, trials.size(), "the old row is not dropped");
        assertEquals(trials.get(0).value(), trials.get(1).value(), "it had what every trial had then");
        assertEquals(Params.AUGMENT_SHIFT.predated(), trials.get(1).value());
        assertEquals(List.of(), ParameterPanels.trials(Params.ACTIVATION, List.of(old)), "not an lstm's parameter");
    }
}
