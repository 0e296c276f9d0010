package dev.sparksweep.train;

import java.io.Serializable;

/**
 * One point of a learning curve.
 *
 * @param loss               mean training loss over the iterations since the previous point
 * @param validationAccuracy fraction correct on the validation split, NaN when there is none
 */
public record CurvePoint(int iteration, double loss, double validationAccuracy) implements Serializable {
}
