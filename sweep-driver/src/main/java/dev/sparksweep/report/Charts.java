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
import java.util.function.Function;

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
     * ASHA: each trial's validation accuracy at the rungs it reached. The rungs are evenly spaced categories labelled
     * with their iterations (a point's x is its rung's index): they grow geometrically, and a log axis labels only
     * powers of ten, which rungs such as 2000, 6000 and 18000 mostly miss.
     */
    static XYChart rungs(Map<String, List<Point>> trials, List<String> rungLabels) {
        XYChart chart = chart("Validation accuracy per rung (ASHA)", "iterations (rung)", "validation accuracy (%)",
                HEIGHT + 20 * ((trials.size() + 3) / 4));
        categoryAxis(chart, rungLabels);
        chart.getStyler().setLegendVisible(trials.size() <= 20);
        trials.forEach((trial, points) -> line(chart, trial, points).setMarker(SeriesMarkers.CIRCLE));
        return chart;
    }

    /**
     * Makes the x axis a row of categories: {@code labels.get(i)} at x = i, nothing between them. XChart thins out
     * ticks whose labels repeat, so the ticks between categories get distinct blank labels rather than one empty one.
     */
    static void categoryAxis(XYChart chart, List<String> labels) {
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(labels.size() - 0.5);
        chart.setCustomXAxisTickLabelsFormatter(categoryLabels(labels));
    }

    /** The tick labels of {@link #categoryAxis}: a category's label at its position, distinct blanks elsewhere. */
    static Function<Double, String> categoryLabels(List<String> labels) {
        return x -> {
            long c = Math.round(x);
            return Math.abs(x - c) < 1e-9 && c >= 0 && c < labels.size() ? labels.get((int) c)
                    : " ".repeat((int) Math.max(1, 3 + Math.round(4 * x)));
        };
    }

    /**
     * Accuracy against a cost, every trial (a series each, by model or all together), with the Pareto front over them
     * all (no other trial is both cheaper and better). The cost axis is logarithmic when it spans a factor of 20.
     */
    static XYChart pareto(String title, String cost, Map<String, List<Point>> trials) {
        XYChart chart = chart(title, cost, "test accuracy (%)");
        List<Point> all = trials.values().stream().flatMap(List::stream).toList();
        double min = all.stream().mapToDouble(Point::x).min().orElse(1);
        double max = all.stream().mapToDouble(Point::x).max().orElse(1);
        chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 20);
        trials.forEach((name, points) -> scatter(chart, name, points));
        line(chart, "Pareto front", front(all)).setMarker(SeriesMarkers.SQUARE);
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

    static double[] percent(double[] fractions) {
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
