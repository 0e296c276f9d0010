package dev.sparksweep.report;

import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heat maps' choice of pairs and their cells, on hand-built trials with known accuracies: an RNN and an LSTM over
 * learning rate and batch size, each best at a different corner, as in the notebook's Exercise 3.
 */
class InteractionsTest {

    private static final StructType SCHEMA = schema();

    private static StructType schema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("model", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("test_accuracy", DataTypes.DoubleType, false));
        for (Param p : Params.ALL) {
            fields.add(DataTypes.createStructField(p.column(), DataTypes.StringType, true));
        }
        return DataTypes.createStructType(fields);
    }

    private static Row trial(String family, double lr, int batch, long seed, double accuracy) {
        Object[] values = new Object[SCHEMA.size()];
        values[SCHEMA.fieldIndex("model")] = family + "-2x128";
        values[SCHEMA.fieldIndex("test_accuracy")] = accuracy;
        values[SCHEMA.fieldIndex(Params.FAMILY.column())] = family;
        values[SCHEMA.fieldIndex(Params.LAYERS.column())] = 2;
        values[SCHEMA.fieldIndex(Params.LEARNING_RATE.column())] = lr;
        values[SCHEMA.fieldIndex(Params.BATCH_SIZE.column())] = batch;
        values[SCHEMA.fieldIndex(Params.SEED.column())] = seed;
        return new GenericRowWithSchema(values, SCHEMA);
    }

    /** The LSTM is best at (3e-3, 100), the RNN at (1e-3, 50); seed 2 scores 0.01 above seed 1. */
    private static List<Row> exercise3() {
        List<Row> rows = new ArrayList<>();
        for (long seed : new long[]{1, 2}) {
            for (double lr : new double[]{0.001, 0.003}) {
                for (int batch : new int[]{50, 100}) {
                    double bonus = 0.01 * (seed - 1);
                    rows.add(trial("lstm", lr, batch, seed, (lr == 0.003 && batch == 100 ? 0.98 : 0.95) + bonus));
                    rows.add(trial("rnn", lr, batch, seed, (lr == 0.001 && batch == 50 ? 0.96 : 0.90) + bonus));
                }
            }
        }
        return rows;
    }

    @Test
    void settingsArePairedPerModelAndWhatTellsTheModelsApartOverAllTrials() {
        List<Interactions.Map2> maps = Interactions.of(exercise3());
        Map<String, Interactions.Map2> byCaption = maps.stream()
                .collect(Collectors.toMap(Interactions.Map2::caption, m -> m));
        assertEquals(List.of("mean test accuracy by family and learning_rate",
                "mean test accuracy by family and batch_size",
                "mean test accuracy by learning_rate and batch_size of lstm-2x128",
                "mean test accuracy by learning_rate and batch_size of rnn-2x128"),
                maps.stream().map(Interactions.Map2::caption).toList());

        // Each model's map holds its own optimum: averaged together, neither corner would stand out.
        Map<List<Object>, Double> lstm = byCaption.get(
                "mean test accuracy by learning_rate and batch_size of lstm-2x128").cells();
        assertEquals(98.5, lstm.get(List.of(0.003, 100)), 1e-9, "mean of 98 and 99 over the two seeds");
        assertEquals(95.5, lstm.get(List.of(0.001, 50)), 1e-9);
        assertEquals(4, lstm.size());
        Map<List<Object>, Double> rnn = byCaption.get(
                "mean test accuracy by learning_rate and batch_size of rnn-2x128").cells();
        assertEquals(96.5, rnn.get(List.of(0.001, 50)), 1e-9);
        assertEquals(90.5, rnn.get(List.of(0.003, 100)), 1e-9);

        // Family against learning rate: over all trials, both models in one map.
        Interactions.Map2 family = byCaption.get("mean test accuracy by family and learning_rate");
        assertNull(family.model());
        assertEquals((95.0 + 96 + 98 + 99) / 4, family.cells().get(List.of("lstm", 0.003)), 1e-9);
        assertEquals((96.0 + 97 + 90 + 91) / 4, family.cells().get(List.of("rnn", 0.001)), 1e-9);
        maps.forEach(m -> assertTrue(m.png().length > 1000, m.caption()));
    }

    @Test
    void oneModelOrManyModelsGiveOneMapPerPairOverAllTrials() {
        List<Row> lstmOnly = exercise3().stream().filter(r -> r.<String>getAs("model").startsWith("lstm")).toList();
        List<Interactions.Map2> single = Interactions.of(lstmOnly);
        assertEquals(List.of("mean test accuracy by learning_rate and batch_size"),
                single.stream().map(Interactions.Map2::caption).toList(), "one model: nothing to split");

        // Five models (more than a page of maps per pair would be worth): every pair over all trials.
        List<Row> many = new ArrayList<>();
        for (String family : new String[]{"a", "b", "c", "d", "e"}) {
            for (double lr : new double[]{0.001, 0.003}) {
                for (int batch : new int[]{50, 100}) {
                    many.add(trial(family, lr, batch, 1, 0.9));
                }
            }
        }
        assertTrue(Interactions.of(many).stream().allMatch(m -> m.model() == null));

        // Two models that each vary one of the pair (keyed domains): no model has a map of both, so the pair is
        // drawn over all trials rather than dropped.
        List<Row> split = new ArrayList<>();
        for (double lr : new double[]{0.001, 0.003}) {
            split.add(trial("lstm", lr, 100, 1, 0.95));
        }
        for (int batch : new int[]{50, 100}) {
            split.add(trial("rnn", 0.001, batch, 1, 0.9));
        }
        List<String> captions = Interactions.of(split).stream().map(Interactions.Map2::caption).toList();
        assertTrue(captions.contains("mean test accuracy by learning_rate and batch_size"), captions.toString());
        assertEquals(3, Interactions.of(many).size(), "family x lr, family x batch, lr x batch");
    }
}
