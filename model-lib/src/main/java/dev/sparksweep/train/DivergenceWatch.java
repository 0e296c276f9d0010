package dev.sparksweep.train;

import java.util.Locale;
import java.util.Optional;

/**
 * The loss-ratio rule of {@link StopRules}, for one trial: remembers the starting loss and counts consecutive
 * evaluation windows whose mean loss is far above it. The NaN/infinity rule needs no state and stays in the trainer.
 */
final class DivergenceWatch {

    private final StopRules rules;
    private double startingLoss = Double.NaN;
    private int windowsAbove;

    DivergenceWatch(StopRules rules) {
        this.rules = rules;
    }

    /**
     * A watch that continues one saved at a checkpoint ({@link #startingLoss()}, {@link #windowsAbove()}), under the
     * rules of the segment that continues it.
     */
    DivergenceWatch(StopRules rules, double startingLoss, int windowsAbove) {
        this.rules = rules;
        this.startingLoss = startingLoss;
        this.windowsAbove = windowsAbove;
    }

    /** The loss of iteration 1; NaN before it. */
    double startingLoss() {
        return startingLoss;
    }

    /** Evaluation windows in a row so far whose mean loss was above the limit. */
    int windowsAbove() {
        return windowsAbove;
    }

    /** The loss of iteration 1, the yardstick: what the untrained model scores on its first mini-batch. */
    void start(double loss) {
        startingLoss = loss;
    }

    /**
     * Called at each evaluation point with the mean loss of the window it closes; says why the trial should stop when
     * this makes {@code divergencePatience} windows in a row above the limit. A window at or below it resets the count:
     * only a loss that stays up is divergence.
     */
    Optional<String> windowDone(int iteration, double windowMeanLoss) {
        if (!rules.watchesLossRatio() || Double.isNaN(startingLoss)) {
            return Optional.empty();
        }
        if (!(windowMeanLoss > rules.divergenceLossRatio() * startingLoss)) {
            windowsAbove = 0;
            return Optional.empty();
        }
        windowsAbove++;
        if (windowsAbove < rules.divergencePatience()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "mean training loss %.4g of the window ending at iteration %d is "
                        + "%.3g x the starting loss %.4g (iteration 1), above the limit of %s x for %d evaluation%s in "
                        + "a row", windowMeanLoss, iteration, windowMeanLoss / startingLoss, startingLoss,
                rules.divergenceLossRatio(), windowsAbove, windowsAbove == 1 ? "" : "s"));
    }
}
