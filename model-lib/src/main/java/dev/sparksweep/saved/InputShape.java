package dev.sparksweep.saved;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a saved network takes and gives: images of {@code rows x cols} grey-scale pixels, fed row by row (row t is
 * time step t, its {@code cols} pixels the features), each pixel scaled to {@code value / 255}; and {@code classes}
 * output probabilities.
 */
public record InputShape(int rows, int cols, int classes) {

    /** How pixels become inputs, recorded in the card for people and other tools. */
    public static final String SCALING = "pixel / 255, as float (0..1); image row t is time step t, its pixels the "
            + "features";

    public InputShape {
        if (rows < 1 || cols < 1 || classes < 2) {
            throw new IllegalArgumentException("input shape " + rows + "x" + cols + " with " + classes + " classes");
        }
    }

    /**
     * @throws IllegalArgumentException naming {@code source} and both shapes when images of {@code rows x cols}
     *                                  are not what this network takes
     */
    public void check(int imageRows, int imageCols, String source) {
        if (imageRows != rows || imageCols != cols) {
            throw new IllegalArgumentException(source + " holds " + imageRows + "x" + imageCols + " images; the "
                    + "model takes " + rows + "x" + cols + " (" + rows + " time steps of " + cols + " features)");
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cols", cols);
        m.put("time_steps", rows);
        m.put("features", cols);
        m.put("classes", classes);
        m.put("scaling", SCALING);
        return m;
    }
}
