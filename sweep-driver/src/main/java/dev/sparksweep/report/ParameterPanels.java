package dev.sparksweep.report;

import dev.sparksweep.leaderboard.LeaderboardRows;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.colors.XChartSeriesColors;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test accuracy by each hyperparameter a sweep varied: one panel per parameter, a point per trial and the mean per
 * value.
 *
 * <p>A grid's few values, and every categorical parameter, sit at evenly spaced positions labelled with the values in
 * their order (a learning rate of 3e-4, 1e-3, 3e-3 or a batch size of 50, 100, 200 is a list of settings, not a scale),
 * and the trials of one value spread sideways so that equal scores do not hide each other. A sampler's continuous
 * draws keep a numeric axis, logarithmic over a wide positive range, without a mean line (no two draws share a value).
 * When the trials have a few models (an RNN and an LSTM over the same settings), each model has its colour and its own
 * mean: averaged together, a setting one model needs and the other does not would show for neither.
 */
final class ParameterPanels {

    /** A parameter with more distinct values than this is a sampled range: a numeric axis. */
    static final int MAX_CATEGORIES = Interactions.MAX_VALUES;
    /** Trials are coloured by model when they have from 2 to this many models. */
    static final int MAX_MODELS = Interactions.MAX_MODELS;
    /** The share of the space between two categories that a category's points spread over. */
    private static final double SPREAD = 0.6;
    /** Spreads points without ordering them by anything: fractional parts of multiples of the golden ratio. */
    private static final double GOLDEN = 0.6180339887498949;

    /** One trial's value of the parameter, its model and its test accuracy (a fraction). */
    record Trial(Object value, String model, double accuracy) {
    }

    /**
     * A panel laid out: the category labels (empty for a numeric axis), whether x is logarithmic, each series'
     * points by name (a model, or "trials") and the mean per category of each series (empty for a numeric axis).
     */
    record Panel(Param param, List<String> labels, boolean logX, Map<String, List<Charts.Point>> points,
                 Map<String, List<Charts.Point>> means) {
    }

    private ParameterPanels() {
    }

    /** Adds the section: a panel for every parameter (the seed aside) with two values or more among the ok trials. */
    static void addTo(Html html, List<Row> okTrials) {
        boolean any = false;
        for (Param p : Params.ALL) {
            List<Trial> trials = trials(p, okTrials);
            if (p == Params.SEED || trials.stream().map(Trial::value).distinct().count() < 2) {
                continue;
            }
            if (!any) {
                html.heading("Test accuracy by hyperparameter");
                html.paragraph("A point per trial; the line is the mean per value. Where the trials have a few models,"
                        + " each has its colour and its own mean.");
                any = true;
            }
            html.image(Charts.png(chart(layout(p, trials))), "test accuracy by " + p.column());
        }
    }

    /** The trials' values of {@code p} (a row that predates its column has the value trials had then). */
    static List<Trial> trials(Param p, List<Row> okTrials) {
        List<Trial> trials = new ArrayList<>();
        for (Row r : okTrials) {
            Object v = LeaderboardRows.value(r, p);
            if (v != null) {
                trials.add(new Trial(v, r.getAs("model"), r.<Double>getAs("test_accuracy")));
            }
        }
        return trials;
    }

    /** Where each trial's point goes, and the means. */
    static Panel layout(Param param, List<Trial> trials) {
        List<String> models = trials.stream().map(Trial::model).distinct().sorted().toList();
        boolean coloured = models.size() >= 2 && models.size() <= MAX_MODELS;
        List<Object> values = trials.stream().map(Trial::value).distinct().sorted(valueOrder()).toList();
        Map<String, List<Charts.Point>> points = new LinkedHashMap<>();
        Map<String, List<Charts.Point>> means = new LinkedHashMap<>();
        (coloured ? models : List.of("trials")).forEach(s -> points.put(s, new ArrayList<>()));
        if (param.kind().numeric() && values.size() > MAX_CATEGORIES) {
            for (Trial t : trials) {
                points.get(coloured ? t.model() : "trials").add(new Charts.Point(((Number) t.value()).doubleValue(),
                        t.accuracy()));
            }
            double min = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).min().orElse(1);
            double max = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(1);
            return new Panel(param, List.of(), min > 0 && max / min >= 8, points, means);
        }
        points.keySet().forEach(s -> means.put(s, new ArrayList<>()));
        for (int c = 0; c < values.size(); c++) {
            Object value = values.get(c);
            // The series with trials at this value share its space side by side, each in its own slot.
            Map<String, List<Double>> here = new LinkedHashMap<>();
            points.keySet().forEach(s -> here.put(s, new ArrayList<>()));
            trials.stream().filter(t -> t.value().equals(value))
                    .forEach(t -> here.get(coloured ? t.model() : "trials").add(t.accuracy()));
            here.values().removeIf(List::isEmpty);
            double slot = SPREAD / here.size();
            int j = 0;
            for (Map.Entry<String, List<Double>> e : here.entrySet()) {
                double centre = c - SPREAD / 2 + slot * (j++ + 0.5);
                List<Double> ys = e.getValue().stream().sorted().toList();
                for (int i = 0; i < ys.size(); i++) {
                    double offset = ys.size() == 1 ? 0 : 0.8 * slot * (((i + 1) * GOLDEN) % 1 - 0.5);
                    points.get(e.getKey()).add(new Charts.Point(centre + offset, ys.get(i)));
                }
                means.get(e.getKey()).add(new Charts.Point(centre,
                        ys.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            }
        }
        return new Panel(param, values.stream().map(Param::format).toList(), false, points, means);
    }

    /** The panel as a chart: categories labelled at their positions, a colour per series and its mean. */
    static XYChart chart(Panel panel) {
        XYChart chart = Charts.chart("Test accuracy by " + panel.param().column(), panel.param().column(),
                "test accuracy (%)");
        chart.getStyler().setXAxisLogarithmic(panel.logX());
        List<String> labels = panel.labels();
        if (!labels.isEmpty()) {
            Charts.categoryAxis(chart, labels);
        }
        // The points first, then the means, so that no model's points hide another's mean.
        Color[] palette = new XChartSeriesColors().getSeriesColors();
        List<String> series = List.copyOf(panel.points().keySet());
        for (int k = 0; k < series.size(); k++) {
            List<Charts.Point> ps = panel.points().get(series.get(k));
            XYSeries s = chart.addSeries(series.get(k), ps.stream().mapToDouble(Charts.Point::x).toArray(),
                    Charts.percent(ps.stream().mapToDouble(Charts.Point::y).toArray()));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(palette[k % palette.length]);
        }
        for (int k = 0; k < series.size(); k++) {
            List<Charts.Point> mean = panel.means().getOrDefault(series.get(k), List.of());
            if (mean.isEmpty()) {
                continue;
            }
            XYSeries m = chart.addSeries(series.size() == 1 ? "mean per value" : series.get(k) + " mean",
                    mean.stream().mapToDouble(Charts.Point::x).toArray(),
                    Charts.percent(mean.stream().mapToDouble(Charts.Point::y).toArray()));
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            m.setMarker(SeriesMarkers.DIAMOND);
            // One series: the mean in a second colour; several: each model's mean a darker shade of its points'.
            Color colour = series.size() == 1 ? palette[1] : palette[k % palette.length].darker().darker();
            m.setLineColor(colour);
            m.setMarkerColor(colour);
        }
        return chart;
    }

    /** Numbers by size, anything else (names, booleans) by its text. */
    private static Comparator<Object> valueOrder() {
        return (a, b) -> a instanceof Number x && b instanceof Number y
                ? Double.compare(x.doubleValue(), y.doubleValue()) : String.valueOf(a).compareTo(String.valueOf(b));
    }
}
