package dev.sparksweep.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the learning rate moves over a trial's iteration budget; {@link Optimization} holds the parameters and
 * {@link LearningRates} builds the DL4J schedule. {@code t} counts iterations from 0 (DL4J's iteration count).
 */
public enum LrScheduleKind {
    /** The configured learning rate throughout. */
    CONSTANT,
    /** {@code lr * 0.5 * (1 + cos(pi * t / budget))}: from lr down to 0 at the budget (PyTorch's cosine annealing). */
    COSINE,
    /** {@code lr * stepGamma^floor(t / stepEvery)} (PyTorch's {@code StepLR} stepped every iteration). */
    STEP;

    /**
     * Whether the rate at an iteration depends on the trial's budget (cosine falls to 0 at the budget). Where it does
     * not, the first k iterations of a trial are the same whatever its budget, so a longer budget can continue a
     * shorter one's final checkpoint.
     */
    public boolean spansBudget() {
        return this == COSINE;
    }

    /** Lower-case name used in configuration files and leaderboard rows: constant, cosine, step. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The schedule whose {@link #id()} is {@code value} (case and surrounding blanks ignored). */
    public static LrScheduleKind parse(String value) {
        for (LrScheduleKind k : values()) {
            if (value != null && k.id().equalsIgnoreCase(value.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + value + "' (expected one of "
                + Arrays.stream(values()).map(LrScheduleKind::id).collect(Collectors.joining(", ")) + ")");
    }
}
