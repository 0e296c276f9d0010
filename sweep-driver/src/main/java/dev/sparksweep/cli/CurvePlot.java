package dev.sparksweep.cli;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Learning curves as a PNG: validation accuracy (left panel) and training loss (right panel) against iteration, one
 * line per trial, so a sweep's trials can be compared at a glance.
 */
final class CurvePlot {

    /** One trial's curve; accuracy may be NaN where none was measured. */
    record Series(String label, double[] iterations, double[] accuracy, double[] loss) {
    }

    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 400;
    private static final int MARGIN = 60;

    private CurvePlot() {
    }

    static void write(Path file, String title, String accuracyLabel, List<Series> series) {
        int legendH = 18 * series.size() + 20;
        int width = 2 * PANEL_W + 3 * MARGIN;
        int height = PANEL_H + 2 * MARGIN + legendH;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, MARGIN, 30);

        double maxIter = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.iterations())).max().orElse(1);
        double[] acc = range(series, true);
        double[] loss = range(series, false);
        panel(g, MARGIN, MARGIN, accuracyLabel, maxIter, acc[0], acc[1], series, true);
        panel(g, 2 * MARGIN + PANEL_W, MARGIN, "training loss", maxIter, loss[0], loss[1], series, false);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y = MARGIN + PANEL_H + 45;
        for (int i = 0; i < series.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(MARGIN, y - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).label(), MARGIN + 26, y - 3);
            y += 18;
        }
        g.dispose();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }

    private static double[] range(List<Series> series, boolean accuracy) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : accuracy ? s.accuracy() : s.loss()) {
                if (Double.isFinite(v)) {
                    double x = accuracy ? 100 * v : v;
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[]{0, 1};
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        return new double[]{accuracy ? Math.max(0, lo - pad) : Math.max(0, lo - pad), accuracy ? Math.min(100, hi + pad)
                : hi + pad};
    }

    private static void panel(Graphics2D g, int x0, int y0, String label, double maxIter, double lo, double hi,
                              List<Series> series, boolean accuracy) {
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(x0, y0, PANEL_W, PANEL_H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int y = y0 + PANEL_H - i * PANEL_H / 5;
            int x = x0 + i * PANEL_W / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0, y, x0 + PANEL_W, y);
            g.drawLine(x, y0, x, y0 + PANEL_H);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(accuracy ? "%.1f" : "%.3f", lo + (hi - lo) * i / 5), x0 - 48, y + 4);
            g.drawString(String.format("%.0f", maxIter * i / 5), x - 10, y0 + PANEL_H + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y0, PANEL_W, PANEL_H);
        g.drawString(label + " vs iteration", x0, y0 - 8);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double[] values = accuracy ? s.accuracy() : s.loss();
            g.setColor(PALETTE[i % PALETTE.length]);
            int px = -1;
            int py = -1;
            for (int k = 0; k < values.length; k++) {
                if (!Double.isFinite(values[k])) {
                    continue;
                }
                double v = accuracy ? 100 * values[k] : values[k];
                int x = x0 + (int) Math.round(PANEL_W * s.iterations()[k] / maxIter);
                int y = y0 + PANEL_H - (int) Math.round(PANEL_H * (v - lo) / (hi - lo));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                g.fillOval(x - 3, y - 3, 6, 6);
                px = x;
                py = y;
            }
        }
        g.setStroke(new BasicStroke(1f));
    }
}
