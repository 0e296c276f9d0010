package dev.sparksweep.report;

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
import java.util.Objects;
import java.util.TreeSet;

/**
 * Two hyperparameters at a time: a heat map of the mean test accuracy for every pair of their values, the question a
 * grid over learning rate and batch size (or depth and cell) asks and one-parameter panels cannot answer, since they
 * average the other parameter away. Drawn for every pair of the parameters a sweep varied over a few values each (a
 * grid's lists, not a sampler's continuous draws).
 */
final class Interactions {

    /** A parameter with more distinct values than this is a sampled range, not a grid axis: no heat map. */
    static final int MAX_VALUES = 8;
    /** Heat maps for the pairs of at most this many parameters (in declaration order). */
    static final int MAX_PARAMETERS = 4;

    /** One heat map: its two parameters and the PNG. */
    record Map2(Param x, Param y, byte[] png) {
        String caption() {
            return "mean test accuracy by " + x.column() + " and " + y.column();
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
                    + " the seeds.");
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
        List<Map2> maps = new ArrayList<>();
        for (int i = 0; i < axes.size(); i++) {
            for (int j = i + 1; j < axes.size(); j++) {
                maps.add(new Map2(axes.get(i), axes.get(j), Charts.png(chart(trials, axes.get(i), axes.get(j)))));
            }
        }
        return maps;
    }

    /** The values {@code p} takes among the trials, in order (numbers by value, names alphabetically). */
    private static List<Object> values(List<Row> trials, Param p) {
        Comparator<Object> order = (a, b) -> a instanceof Number m && b instanceof Number n
                ? Double.compare(m.doubleValue(), n.doubleValue()) : String.valueOf(a).compareTo(String.valueOf(b));
        TreeSet<Object> values = new TreeSet<>(order);
        for (Row r : trials) {
            Object v = r.getAs(p.column());
            if (v != null) {
                values.add(v);
            }
        }
        return new ArrayList<>(values);
    }

    static HeatMapChart chart(List<Row> trials, Param x, Param y) {
        List<Object> xs = values(trials, x);
        List<Object> ys = values(trials, y);
        Map<List<Integer>, double[]> cells = new LinkedHashMap<>(); // {sum, count} per (x, y) index
        for (Row r : trials) {
            int xi = xs.indexOf(r.getAs(x.column()));
            int yi = ys.indexOf(r.getAs(y.column()));
            if (xi >= 0 && yi >= 0) {
                double[] cell = cells.computeIfAbsent(List.of(xi, yi), k -> new double[2]);
                cell[0] += 100 * r.<Double>getAs("test_accuracy");
                cell[1]++;
            }
        }
        List<Number[]> heat = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (var e : cells.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            heat.add(new Number[]{e.getKey().get(0), e.getKey().get(1), mean});
            min = Math.min(min, mean);
            max = Math.max(max, mean);
        }
        // The legend prints its ends as they are: round them outwards to what the cells show.
        min = Math.floor(min * 100) / 100;
        max = Math.max(Math.ceil(max * 100) / 100, min + 0.01); // equal cells: one colour, not a division by zero
        HeatMapChart chart = new HeatMapChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Mean test accuracy (%) by " + x.column() + " and " + y.column())
                .xAxisTitle(x.column()).yAxisTitle(y.column()).build();
        chart.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("0.00").setMin(min).setMax(max)
                .setRangeColors(new Color[]{new Color(0xd7, 0x30, 0x27), new Color(0xfe, 0xe0, 0x8b),
                        new Color(0x1a, 0x98, 0x50)});
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.addSeries("mean test accuracy", labels(xs), labels(ys), heat);
        return chart;
    }

    private static List<String> labels(List<Object> values) {
        return values.stream().map(v -> v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e6
                ? Long.toString(d.longValue()) : Objects.toString(v)).toList();
    }
}
