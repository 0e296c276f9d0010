package dev.sparksweep.train;

import java.io.Serializable;
import java.util.List;

/**
 * What training one trial produced. Accuracies are fractions in [0, 1]; NaN where not measured (no validation split,
 * or the trial stopped before the measurement).
 *
 * @param error              why the trial diverged or failed; {@code null} when OK
 * @param bestIteration      iteration of the best validation accuracy (0 if never validated)
 * @param testAccuracy       accuracy of the final model on the test set
 * @param iterationsDone     iterations actually trained (less than the budget when diverged or failed)
 * @param wallSeconds        wall time of the whole trial, evaluation included
 * @param trainSeconds       wall time spent in training steps only
 * @param iterationsPerSecond training iterations per second of {@code trainSeconds}
 * @param segmentSeconds     wall time of this call's own training and evaluation: the whole trial's less building
 *                           the network, or one segment's less reading and writing its checkpoints (what a segment
 *                           costs beyond this is overhead: scheduling, data access, checkpoints)
 */
public record TrialResult(TrialStatus status, String error, double bestValidationAccuracy, int bestIteration,
                          double finalValidationAccuracy, double testAccuracy, double finalLoss,
                          List<CurvePoint> curve, int iterationsDone, double wallSeconds, double trainSeconds,
                          double iterationsPerSecond, long parameterCount, double segmentSeconds)
        implements Serializable {

    public TrialResult {
        curve = List.copyOf(curve);
    }

    /** A trial stopped from outside at its time limit, with nothing it measured. */
    public static TrialResult timedOut(String error, double wallSeconds) {
        return new TrialResult(TrialStatus.TIMED_OUT, error, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN,
                List.of(), 0, wallSeconds, 0, 0, 0, 0);
    }

    /** A trial that could not even start training. */
    public static TrialResult failed(String error, double wallSeconds) {
        return new TrialResult(TrialStatus.FAILED, error, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN,
                List.of(), 0, wallSeconds, 0, 0, 0, 0);
    }
}
