package dev.sparksweep.report;

import dev.sparksweep.leaderboard.LeaderboardRows;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two hyperparameters at a time: a heat map of the mean test accuracy for every pair of their values, the question a
 * grid over learning rate and batch size (or depth and cell) asks and one-parameter panels cannot answer, since they
 * average the other parameter away. Drawn for every pair of the parameters a sweep varied over a few values each (a
 * grid's lists, not a sampler's continuous draws).
 *
 * <p>When a sweep trains a few models over the same settings (the notebook's Exercise 3: learning rate, batch size
 * and iterations around both the RNN and the LSTM), a pair of settings is drawn once per model: an RNN and an LSTM
 * want different learning rates, and a map averaging them would show neither. Pairs that involve what tells the models
 * apart (family, depth) are drawn over all trials, as that comparison is their point.
 */
final class Interactions {

    /** A parameter with more distinct values than this is a sampled range, not a grid axis: no heat map. */
    static final int MAX_VALUES = 8;
    /** Heat maps for the pairs of at most this many parameters (in declaration order). */
    static final int MAX_PARAMETERS = 4;
    /** Pairs of settings are drawn per model when the trials have from 2 to this many models. */
    static final int MAX_MODELS = 4;

    /**
     * One heat map: its two parameters, the model it is of (null: all trials), its cells ({@link #means}) and the
     * PNG.
     */
    record Map2(Param x, Param y, String model, Map<List<Object>, Double> cells, byte[] png) {
        String caption() {
            return "mean test accuracy by " + x.column() + " and " + y.column() + (model == null ? "" : " of "
                    + model);
        }
    }

    private Interactions() {
    }

    /** Adds the section of heat maps to the report, when the trials varied two parameters over a few values. */
    static void addTo(Html html, List<Row> trials) {
        List<Map2> maps = of(trials);
        if (!maps.isEmpty()) {
            html.heading("Two hyperparameters at a time");
            html.paragraph("Mean test accuracy of the trials with each pair of values, over the other parameters and"
                    + " the seeds. Where the sweep trains a few models over the same settings, a pair of settings has"
                    + " one map per model.");
            maps.forEach(m -> html.image(m.png(), m.caption()));
        }
    }

    /** The heat maps of {@code trials} (rows that ended ok, with a test accuracy). */
    static List<Map2> of(List<Row> trials) {
        List<Param> axes = new ArrayList<>();
        for (Param p : Params.ALL) {
            if (p != Params.SEED && axes.size() < MAX_PARAMETERS) {
                int values = values(trials, p).size();
                if (values >= 2 && values <= MAX_VALUES) {
                    axes.add(p);
                }
            }
        }
        Map<String, List<Row>> byModel = new TreeMap<>();
        trials.forEach(r -> byModel.computeIfAbsent(r.getAs("model"), k -> new ArrayList<>()).add(r));
        boolean perModel = byModel.size() >= 2 && byModel.size() <= MAX_MODELS;
        List<Map2> maps = new ArrayList<>();
        for (int i = 0; i < axes.size(); i++) {
            for (int j = i + 1; j < axes.size(); j++) {
                Param x = axes.get(i);
                Param y = axes.get(j);
                List<Map2> ofModels = new ArrayList<>();
                if (perModel && variesWithinAModel(byModel, x) && variesWithinAModel(byModel, y)) {
                    byModel.forEach((model, rows) -> {
                        if (values(rows, x).size() >= 2 && values(rows, y).size() >= 2) {
                            ofModels.add(map(rows, x, y, model));
                        }
                    });
                }
                // No model varies both (one model, many, or each varying one of them): one map over all trials.
                maps.addAll(ofModels.isEmpty() ? List.of(map(trials, x, y, null)) : ofModels);
            }
        }
        return maps;
    }

    private static Map2 map(List<Row> trials, Param x, Param y, String model) {
        Map<List<Object>, Double> cells = means(trials, x, y);
        return new Map2(x, y, model, cells, Charts.png(chart(values(trials, x), values(trials, y), cells, x, y,
                model == null ? "" : " of " + model)));
    }

    /** Whether {@code p} takes two or more values among the trials of one model: a setting, not what the model is. */
    private static boolean variesWithinAModel(Map<String, List<Row>> byModel, Param p) {
        return byModel.values().stream().anyMatch(rows -> values(rows, p).size() >= 2);
    }

    /** The values {@code p} takes among the trials, in order (numbers by value, names alphabetically). */
    private static List<Object> values(List<Row> trials, Param p) {
        Comparator<Object> order = (a, b) -> a instanceof Number m && b instanceof Number n
                ? Double.compare(m.doubleValue(), n.doubleValue()) : String.valueOf(a).compareTo(String.valueOf(b));
        TreeSet<Object> values = new TreeSet<>(order);
        for (Row r : trials) {
            Object v = LeaderboardRows.value(r, p);
            if (v != null) {
                values.add(v);
            }
        }
        return new ArrayList<>(values);
    }

    /**
     * The mean test accuracy (%) of the trials at each pair of values, keyed by (x value, y value); pairs no trial
     * has are absent.
     */
    static Map<List<Object>, Double> means(List<Row> trials, Param x, Param y) {
        Map<List<Object>, double[]> cells = new LinkedHashMap<>(); // {sum, count}
        for (Row r : trials) {
            Object xv = LeaderboardRows.value(r, x);
            Object yv = LeaderboardRows.value(r, y);
            if (xv != null && yv != null) {
                double[] cell = cells.computeIfAbsent(List.of(xv, yv), k -> new double[2]);
                cell[0] += 100 * r.<Double>getAs("test_accuracy");
                cell[1]++;
            }
        }
        Map<List<Object>, Double> means = new LinkedHashMap<>();
        cells.forEach((k, c) -> means.put(k, c[0] / c[1]));
        return means;
    }

    private static HeatMapChart chart(List<Object> xs, List<Object> ys, Map<List<Object>, Double> cells, Param x,
                                      Param y, String of) {
        List<Number[]> heat = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (var e : cells.entrySet()) {
            double mean = e.getValue();
            heat.add(new Number[]{xs.indexOf(e.getKey().get(0)), ys.indexOf(e.getKey().get(1)), mean});
            min = Math.min(min, mean);
            max = Math.max(max, mean);
        }
        // The legend prints its ends as they are: round them outwards to what the cells show.
        min = Math.floor(min * 100) / 100;
        max = Math.max(Math.ceil(max * 100) / 100, min + 0.01); // equal cells: one colour, not a division by zero
        HeatMapChart chart = new HeatMapChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Mean test accuracy (%) by " + x.column() + " and " + y.column() + of)
                .xAxisTitle(x.column()).yAxisTitle(y.column()).build();
        chart.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("0.00").setMin(min).setMax(max)
                .setRangeColors(new Color[]{new Color(0xd7, 0x30, 0x27), new Color(0xfe, 0xe0, 0x8b),
                        new Color(0x1a, 0x98, 0x50)});
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.addSeries("mean test accuracy", labels(xs), labels(ys), heat);
        return chart;
    }

    /** Values as the sweep file and trial ids spell them: 0.0003, not 3.0E-4; 200, not 200.0. */
    private static List<String> labels(List<Object> values) {
        return values.stream().map(Param::format).toList();
    }
}
