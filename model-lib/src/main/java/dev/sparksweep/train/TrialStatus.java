package dev.sparksweep.train;

import java.util.Locale;

/** How a trial ended. */
public enum TrialStatus {
    /** Trained through its budget. */
    OK,
    /**
     * The loss became NaN or infinite, or stayed far above its starting value (see {@link StopRules}); training
     * stopped there. Deterministic, so not worth re-running.
     */
    DIVERGED,
    /** An error stopped the trial (bad configuration, out of memory, ...); the message says which. */
    FAILED,
    /** The trial ran past its time limit and was stopped; what it measured until then is kept. */
    TIMED_OUT,
    /**
     * A scheduler (ASHA) stopped it at a rung, its results there worse than most trials' at that rung: final, with
     * what it measured until then.
     */
    STOPPED;

    /** The leaderboard's spelling: {@code ok}, {@code diverged}, {@code failed}, {@code timed-out}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
