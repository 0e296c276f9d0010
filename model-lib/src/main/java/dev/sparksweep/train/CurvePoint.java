package dev.sparksweep.train;

import java.io.Serializable;

/**
 * One point of a learning curve.
 *
 * @param loss               mean training loss over the iterations since the previous point
 * @param validationAccuracy fraction correct on the validation split, NaN when there is none
 * @param testAccuracy       fraction correct on the test split, NaN unless the trial records a test curve
 */
public record CurvePoint(int iteration, double loss, double validationAccuracy, double testAccuracy)
        implements Serializable {

    public CurvePoint(int iteration, double loss, double validationAccuracy) {
        this(iteration, loss, validationAccuracy, Double.NaN);
    }
}
