package dev.sparksweep.train;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * When a trial stops before its iteration budget is spent. Not part of what a trial is (its id): these bound how long
 * a hopeless or slow trial may hold a slot, not what it learns.
 *
 * <p>A loss that becomes NaN or infinite always stops a trial as {@link TrialStatus#DIVERGED}. A too-large learning
 * rate often does not get there: the weights blow up, the softmax saturates, and DL4J's cross-entropy, which clips
 * probabilities, settles at a large finite loss (about 20 for 10 classes) with chance accuracy. The loss-ratio rule
 * catches that: the mean training loss of an evaluation window far above the loss of iteration 1 (about ln 10 = 2.3
 * for a fresh 10-class classifier) at several evaluation points in a row. Healthy training falls below its start
 * within the first window and a noisy one rarely doubles it, so patience guards against a single bad window.
 *
 * @param timeLimit           wall time after which the trial stops as {@link TrialStatus#TIMED_OUT}; zero for none
 * @param divergenceLossRatio a window's mean loss above this multiple of the starting loss counts as far above; > 1
 * @param divergencePatience  evaluation points in a row that must be far above to stop the trial; 0 turns the rule off
 */
public record StopRules(Duration timeLimit, double divergenceLossRatio, int divergencePatience)
        implements Serializable {

    /** No time limit; diverged once two evaluation windows in a row average more than twice the starting loss. */
    public static final StopRules DEFAULT = new StopRules(Duration.ZERO, 2.0, 2);

    public StopRules {
        Objects.requireNonNull(timeLimit, "time limit (use Duration.ZERO for none)");
        if (timeLimit.isNegative()) {
            throw new IllegalArgumentException("time limit must be zero (none) or positive, got " + timeLimit);
        }
        if (!(divergenceLossRatio > 1) || Double.isInfinite(divergenceLossRatio)) {
            throw new IllegalArgumentException("divergence loss ratio must be a number above 1, got "
                    + divergenceLossRatio);
        }
        if (divergencePatience < 0) {
            throw new IllegalArgumentException("divergence patience must be at least 0 (0 turns the rule off), got "
                    + divergencePatience);
        }
    }

    public StopRules withTimeLimit(Duration limit) {
        return new StopRules(limit, divergenceLossRatio, divergencePatience);
    }

    /** Whether a finite loss far above its start stops the trial ({@code divergencePatience > 0}). */
    public boolean watchesLossRatio() {
        return divergencePatience > 0;
    }
}
