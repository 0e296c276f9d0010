package dev.sparksweep.report;

import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How far each configuration got under ASHA, on hand-built rung rows: configurations that never finished ok (the
 * ranked table cannot show them) are listed with their furthest rung and the mean score of their seeds there.
 */
class AshaSectionTest {

    private static final StructType RUNG = DataTypes.createStructType(List.of(
            DataTypes.createStructField("trial_id", DataTypes.StringType, false),
            DataTypes.createStructField("rung", DataTypes.IntegerType, false),
            DataTypes.createStructField("iterations", DataTypes.IntegerType, false),
            DataTypes.createStructField("validation_accuracy", DataTypes.DoubleType, true),
            DataTypes.createStructField("test_accuracy", DataTypes.DoubleType, true),
            DataTypes.createStructField("decision", DataTypes.StringType, false),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("config_id", DataTypes.StringType, true),
            DataTypes.createStructField("configuration", DataTypes.StringType, false)));
    private static final StructType TRIAL = DataTypes.createStructType(List.of(
            DataTypes.createStructField("trial_id", DataTypes.StringType, false),
            DataTypes.createStructField("config_id", DataTypes.StringType, false),
            DataTypes.createStructField("model", DataTypes.StringType, false),
            DataTypes.createStructField(Params.LEARNING_RATE.column(), DataTypes.DoubleType, false)));

    private static Row rung(String trial, int rung, Double val, String decision) {
        return rung(trial, rung, val, decision, "ok", null);
    }

    /** A rung row; {@code config} null as in rows from before configuration ids (the trial's row says). */
    private static Row rung(String trial, int rung, Double val, String decision, String status, String config) {
        String configuration = Params.encode(Map.of("family", "gru", "layers", 3, "hidden", 64, "learning-rate",
                0.005, "seed", 1L));
        return new GenericRowWithSchema(new Object[]{trial, rung, new int[]{10, 30, 90}[rung], val, null, decision,
                status, config, configuration}, RUNG);
    }

    /** A rung row of a trial on {@code seed}, its configuration id recorded. */
    private static Row seeded(String trial, String config, long seed) {
        String configuration = Params.encode(Map.of("family", "gru", "layers", 3, "hidden", 64, "learning-rate",
                0.005, "seed", seed));
        return new GenericRowWithSchema(new Object[]{trial, 0, 10, 0.9, null, "promoted", "ok", config,
                configuration}, RUNG);
    }

    private static Row trial(String trial, String config, double lr) {
        return new GenericRowWithSchema(new Object[]{trial, config, "gru-2x128", lr}, TRIAL);
    }

    @Test
    void eachConfigurationAtItsFurthestRungFurthestFirstThenBest() {
        List<Row> trials = List.of(trial("a1", "A", 0.001), trial("a2", "A", 0.001), trial("b1", "B", 0.002),
                trial("b2", "B", 0.002), trial("c1", "C", 0.003), trial("d1", "D", 0.004));
        List<Row> records = new ArrayList<>(List.of(
                // A: both seeds promoted at rung 0, one completed, the other stopped at rung 1.
                rung("a1", 0, 0.90, "promoted"), rung("a2", 0, 0.88, "promoted"),
                rung("a1", 1, 0.95, "promoted"), rung("a2", 1, 0.91, "stopped"), rung("a1", 2, 0.97, "completed"),
                // B: both seeds stopped at rung 0 (b1's rung 0 twice: begun in another sweep too, no --sweep);
                // C stopped at rung 0 above them; D's segment failed at rung 0 (its accuracy is not a score).
                rung("b1", 0, 0.50, "stopped"), rung("b1", 0, 0.50, "stopped"), rung("b2", 0, 0.70, "stopped"),
                rung("c1", 0, 0.80, "stopped"), rung("d1", 0, 0.30, "stopped", "failed", null),
                // Under way at rung 1, no leaderboard row yet: known by its rung rows' configuration id.
                rung("x1", 0, 0.99, "promoted", "ok", "X"), rung("x1", 1, 0.96, "promoted", "ok", "X")));
        List<AshaSection.Furthest> furthest = AshaSection.furthest(records, trials);
        assertEquals(List.of("A", "X", "C", "B", "D"), furthest.stream().map(AshaSection.Furthest::configId).toList());
        AshaSection.Furthest a = furthest.get(0);
        assertEquals(2, a.rung());
        assertEquals(90, a.iterations());
        assertEquals(1, a.trials(), "one seed reached the last rung");
        assertEquals(0.97, a.score(), 1e-12);
        assertEquals(Map.of("completed", 1), a.decisions());
        assertEquals(0.001, a.configuration().get("learning-rate"));
        AshaSection.Furthest x = furthest.get(1);
        assertEquals("gru-3x64", x.model(), "from its configuration");
        assertEquals(0.96, x.score(), 1e-12);
        assertEquals(Map.of("promoted", 1), x.decisions());
        AshaSection.Furthest b = furthest.get(3);
        assertEquals(0, b.rung());
        assertEquals(2, b.trials(), "each trial once");
        assertEquals(0.60, b.score(), 1e-12, "the mean of its seeds at rung 0");
        assertEquals(Map.of("stopped", 2), b.decisions());
        assertTrue(Double.isNaN(furthest.get(4).score()), "failed: unmeasured, last");
    }

    @Test
    void theRungPlotNamesATrialByItsConfigurationAndBySeedWhereTheConfigurationHasSeveral() {
        List<Row> records = List.of(seeded("a1", "A", 1), seeded("a2", "A", 2), seeded("c1", "C", 1),
                seeded("c1", "C", 1), rung("old", 0, 0.5, "stopped"));
        assertEquals(Map.of("a1", "A seed 1", "a2", "A seed 2", "c1", "C", "old", "O"),
                AshaSection.seriesLabels(records, List.of(trial("old", "O", 0.001))),
                "a configuration's one trial by its id alone (its rung rows counted once); a row from before"
                        + " configuration ids by its trial's");
    }

    @Test
    void aRungIsLabelledWithEveryIterationCountItHasAndOneWithoutRecordsByItsIndex() {
        Map<Integer, java.util.SortedSet<Integer>> at = Map.of(0, new java.util.TreeSet<>(List.of(2000)),
                2, new java.util.TreeSet<>(List.of(18000, 9000)));
        assertEquals(List.of("2000", "rung 1", "9000/18000"), AshaSection.rungLabels(at, 2));
    }

    @Test
    void aTrialWithNoSeedInItsConfigurationIsNamedByItsId() {
        Row noSeed = new GenericRowWithSchema(new Object[]{"b1", 0, 10, 0.9, null, "promoted", "ok", "B",
                Params.encode(Map.of("family", "gru"))}, RUNG);
        Row other = new GenericRowWithSchema(new Object[]{"b2", 0, 10, 0.8, null, "stopped", "ok", "B",
                Params.encode(Map.of("family", "gru"))}, RUNG);
        assertEquals(Map.of("b1", "B b1", "b2", "B b2"), AshaSection.seriesLabels(List.of(noSeed, other), List.of()));
    }

    @Test
    void theRungPlotLabelsEachRungWithItsIterations() {
        var label = Charts.categoryLabels(List.of("2000", "6000", "18000"));
        assertEquals(List.of("2000", "6000", "18000"), List.of(label.apply(0.0), label.apply(1.0), label.apply(2.0)));
        // XChart widens its tick step until every label in view is distinct: blanks must differ at every step of a
        // quarter, from the axis' start (-0.5) to past its end, or with one rung it shows no label at all.
        java.util.Set<String> blanks = new java.util.HashSet<>();
        for (int quarter = -2; quarter <= 4 * 3 + 8; quarter++) {
            if (quarter % 4 != 0) {
                String blank = label.apply(quarter / 4.0);
                assertTrue(blank.isBlank() && !blank.isEmpty(), "nothing between rungs, but not empty");
                assertTrue(blanks.add(blank), "a blank repeats at " + quarter / 4.0);
            }
        }
    }

    @Test
    void theReportCountsTheTrialsPromotedToARungTheyHaveNotReachedOnceEach() {
        List<Row> records = List.of(rung("a1", 0, 0.9, "promoted"), rung("a1", 1, 0.95, "completed"),
                rung("x1", 0, 0.99, "promoted", "ok", "X"), rung("x1", 1, 0.96, "promoted", "ok", "X"),
                rung("y1", 0, 0.97, "promoted", "ok", "Y"), rung("s1", 0, 0.5, "stopped"),
                // Revived: stopped at rung 0 (it has a final row), continued when another seed completed.
                rung("z1", 0, 0.8, "stopped"), rung("z1", 1, 0.9, "promoted"));
        assertEquals(3, SweepReport.underWay(records), "x1, y1 and z1");
        assertEquals(0, SweepReport.underWay(List.of()));
    }

    @Test
    void theRungPlotRendersWithOneRungAndWithSeveral() {
        for (int rungs = 1; rungs <= 5; rungs++) {
            List<String> iterations = new ArrayList<>();
            List<Charts.Point> points = new ArrayList<>();
            for (int r = 0; r < rungs; r++) {
                iterations.add(Integer.toString(10 * (int) Math.pow(3, r)));
                points.add(new Charts.Point(r, 0.9 + 0.01 * r));
            }
            var chart = Charts.rungs(Map.of("A", points), iterations);
            byte[] png = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> Charts.png(chart), rungs + " rung(s): XChart must find tick labels it can use");
            assertTrue(png.length > 1000, "an image");
        }
    }
}
