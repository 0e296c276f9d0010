package dev.sparksweep.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The optimizer a trial trains with; its settings are the other components of {@link Optimization}. Each behaves as
 * its PyTorch namesake, within the limits of DL4J 1.0.0-M2.1 that {@link UpdateRules} documents.
 */
public enum Optimizer {
    /** Adam with betas 0.9 / 0.999 and epsilon 1e-8 (PyTorch's and DL4J's defaults); weight decay as L2. */
    ADAM,
    /** Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code AdamW}. */
    ADAMW,
    /** Stochastic gradient descent with Nesterov momentum; weight decay as L2. */
    SGD,
    /** RMSProp (squared-gradient average decay 0.99, epsilon 1e-8, PyTorch's defaults); weight decay as L2. */
    RMSPROP;

    /** Lower-case name used in configuration files and leaderboard rows: adam, adamw, sgd, rmsprop. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The optimizer whose {@link #id()} is {@code value} (case and surrounding blanks ignored). */
    public static Optimizer parse(String value) {
        for (Optimizer o : values()) {
            if (value != null && o.id().equalsIgnoreCase(value.trim())) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + value + "' (expected one of "
                + Arrays.stream(values()).map(Optimizer::id).collect(Collectors.joining(", ")) + ")");
    }
}
