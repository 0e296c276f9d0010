package dev.sparksweep.model;

import java.util.Locale;

/** Non-linearity of a plain RNN cell (PyTorch's {@code nn.RNN(nonlinearity=...)}); LSTM and GRU cells have fixed ones. */
public enum RnnActivation {
    TANH, RELU;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RnnActivation parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "tanh" -> TANH;
            case "relu" -> RELU;
            default -> throw new IllegalArgumentException("unknown activation '" + value + "' (expected tanh or relu)");
        };
    }
}
