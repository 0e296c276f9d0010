package dev.sparksweep.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's charts, drawn with XChart and encoded as PNG. */
final class Charts {

    static final int WIDTH = 820;
    static final int HEIGHT = 460;

    private Charts() {
    }

    /** A point of a trial: x, y (fractions are plotted as percent by the caller). */
    record Point(double x, double y) {
    }

    /** A curve of one configuration: mean over seeds per iteration, with the standard deviation as error bars. */
    record MeanCurve(String label, double[] iterations, double[] mean, double[] sd) {
    }

    static XYChart chart(String title, String x, String y) {
        return chart(title, x, y, HEIGHT);
    }

    static XYChart chart(String title, String x, String y, int height) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setMarkerSize(6);
        return chart;
    }

    static XYChart curves(List<MeanCurve> curves, String yLabel) {
        XYChart chart = chart("Learning curves of the best configurations (mean over seeds, bars: 1 sd)", "iteration",
                yLabel, HEIGHT + 20 * curves.size());
        for (MeanCurve c : curves) {
            XYSeries s = chart.addSeries(c.label(), c.iterations(), percent(c.mean()), percent(c.sd()));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * Test accuracy of every trial against one hyperparameter's value, and the mean per value.
     *
     * @param labels for a categorical parameter, the name of each x position; empty for a numeric one
     */
    static XYChart byParameter(String parameter, List<Point> trials, List<String> labels, boolean logX) {
        // A categorical parameter's values sit at 0, 1, 2, ...; the axis title says which is which.
        StringBuilder axis = new StringBuilder(parameter);
        for (int i = 0; i < labels.size(); i++) {
            axis.append(i == 0 ? ":  " : ",  ").append(i).append(" = ").append(labels.get(i));
        }
        XYChart chart = chart("Test accuracy by " + parameter, axis.toString(), "test accuracy (%)");
        chart.getStyler().setXAxisLogarithmic(logX);
        if (!labels.isEmpty()) {
            chart.getStyler().setXAxisMin(-0.5);
            chart.getStyler().setXAxisMax(labels.size() - 0.5);
            chart.getStyler().setXAxisDecimalPattern("0.#");
        }
        scatter(chart, "trials", trials);
        Map<Double, List<Double>> byValue = new TreeMap<>();
        trials.forEach(p -> byValue.computeIfAbsent(p.x(), k -> new ArrayList<>()).add(p.y()));
        List<Point> means = new ArrayList<>();
        byValue.forEach((x, ys) -> means.add(new Point(x, ys.stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN))));
        XYSeries line = line(chart, "mean per value", means);
        line.setMarker(SeriesMarkers.DIAMOND);
        return chart;
    }

    /** ASHA: each trial's validation accuracy at the rungs it reached (iterations on a log axis). */
    static XYChart rungs(Map<String, List<Point>> trials) {
        XYChart chart = chart("Validation accuracy per rung (ASHA)", "iterations (rung)", "validation accuracy (%)",
                HEIGHT + 20 * ((trials.size() + 3) / 4));
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(trials.size() <= 20);
        trials.forEach((trial, points) -> line(chart, trial, points).setMarker(SeriesMarkers.CIRCLE));
        return chart;
    }

    /** Accuracy against a cost, every trial, with the Pareto front (no other trial is both cheaper and better). */
    static XYChart pareto(String title, String cost, List<Point> trials, boolean logX) {
        XYChart chart = chart(title, cost, "test accuracy (%)");
        chart.getStyler().setXAxisLogarithmic(logX);
        scatter(chart, "trials", trials);
        line(chart, "Pareto front", front(trials)).setMarker(SeriesMarkers.SQUARE);
        return chart;
    }

    /** The trials no other trial beats on both counts: cheaper and at least as accurate, or as cheap and better. */
    static List<Point> front(List<Point> trials) {
        List<Point> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingDouble(Point::x).thenComparing(Comparator.comparingDouble(Point::y)
                .reversed()));
        List<Point> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Point p : sorted) {
            if (p.y() > best) {
                front.add(p);
                best = p.y();
            }
        }
        return front;
    }

    private static XYSeries scatter(XYChart chart, String name, List<Point> points) {
        XYSeries s = chart.addSeries(name, xs(points), percent(ys(points)));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    private static XYSeries line(XYChart chart, String name, List<Point> points) {
        XYSeries s = chart.addSeries(name, xs(points), percent(ys(points)));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return s;
    }

    private static double[] xs(List<Point> points) {
        return points.stream().mapToDouble(Point::x).toArray();
    }

    private static double[] ys(List<Point> points) {
        return points.stream().mapToDouble(Point::y).toArray();
    }

    private static double[] percent(double[] fractions) {
        double[] out = new double[fractions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 100 * fractions[i];
        }
        return out;
    }

    static byte[] png(Chart<?, ?> chart) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
