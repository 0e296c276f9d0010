package dev.sparksweep.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The recurrent cell a model is built from. */
public enum Family {
    RNN, LSTM, GRU;

    /** Lower-case name used in configuration files and leaderboard rows. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Family parse(String value) {
        for (Family f : values()) {
            if (f.id().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown model family '" + value + "' (expected one of "
                + Arrays.stream(values()).map(Family::id).collect(Collectors.joining(", ")) + ")");
    }
}
