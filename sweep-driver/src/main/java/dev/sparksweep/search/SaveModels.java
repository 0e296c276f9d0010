package dev.sparksweep.search;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which trained networks a sweep keeps under {@code <out>/models/<sweep>/} ({@code sweep.train.save-models}): none,
 * the {@code bestK} best by validation accuracy (kept as trials finish, the others deleted), or all. Not part of a
 * trial's identity: it decides what is kept, not what is trained.
 */
public record SaveModels(Mode mode, int bestK) implements Serializable {

    public static final SaveModels DEFAULT = new SaveModels(Mode.BEST_K, 3);

    public enum Mode {
        NONE, BEST_K, ALL;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Mode parse(String text) {
            for (Mode m : values()) {
                if (m.id().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of none, best-k, all");
        }
    }

    public SaveModels {
        if (bestK < 1) {
            throw new IllegalArgumentException("best-k must be at least 1, got " + bestK);
        }
    }

    /** Whether trials save their networks at all. */
    public boolean any() {
        return mode != Mode.NONE;
    }
}
