package dev.sparksweep.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Learning curves as a PNG, drawn with XChart: validation accuracy (left) and training loss (right) against iteration,
 * one line per trial, so a sweep's trials can be compared at a glance.
 */
final class CurvePlot {

    /** One trial's curve; accuracy may be NaN where none was measured. */
    record Series(String label, double[] iterations, double[] accuracy, double[] loss) {
    }

    private static final int PANEL_W = 640;
    private static final int PANEL_H = 480;

    private CurvePlot() {
    }

    static void write(Path file, String title, String accuracyLabel, List<Series> series) {
        int legendH = 20 * series.size() + 30;
        XYChart accuracy = chart(title, accuracyLabel, legendH);
        XYChart loss = chart(" ", "training loss", legendH);
        for (Series s : series) {
            add(accuracy, s.label(), s.iterations(), s.accuracy(), 100);
            // The legend is shared: the loss panel keeps the same colours without repeating the labels.
            add(loss, s.label(), s.iterations(), s.loss(), 1).setShowInLegend(false);
        }
        BufferedImage left = BitmapEncoder.getBufferedImage(accuracy);
        BufferedImage right = BitmapEncoder.getBufferedImage(loss);
        BufferedImage image = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file + ": " + e.getMessage(), e);
        }
    }

    private static XYChart chart(String title, String yLabel, int legendHeight) {
        XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H + legendHeight).title(title)
                .xAxisTitle("iteration").yAxisTitle(yLabel).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    /** Adds the finite points of one curve, scaled (accuracy fractions as percent). */
    private static XYSeries add(XYChart chart, String label, double[] x, double[] y, double scale) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i] * scale);
            }
        }
        if (xs.isEmpty()) {
            // XChart refuses an empty series; an unmeasured curve still keeps its colour and legend entry.
            xs.add(0.0);
            ys.add(Double.NaN);
        }
        XYSeries series = chart.addSeries(label, xs, ys);
        series.setMarker(SeriesMarkers.CIRCLE);
        return series;
    }
}
