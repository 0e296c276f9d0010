package dev.sparksweep.train;

import java.util.Locale;

/** How a trial ended. */
public enum TrialStatus {
    /** Trained through its budget. */
    OK,
    /** The loss became NaN or infinite; training stopped there. Deterministic, so not worth re-running. */
    DIVERGED,
    /** An error stopped the trial (bad configuration, out of memory, ...); the message says which. */
    FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrialStatus parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
