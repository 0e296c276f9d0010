package dev.sparksweep.model;

import java.io.Serializable;

/**
 * A recurrent classifier as the reference notebook defines it: a stack of {@code layers} recurrent layers of
 * {@code hidden} units, the output of the last time step, an optional extra fully connected layer (Dense + ReLU of
 * {@code hidden} units) and a softmax readout.
 *
 * @param activation the cell non-linearity; required for {@link Family#RNN}, {@code null} for the gated families
 */
public record ModelSpec(Family family, int layers, int hidden, RnnActivation activation, boolean extraFc,
                        boolean bidirectional) implements Serializable {

    public static final int DEFAULT_HIDDEN = 128;
    /** Deeper stacks are allowed but nothing in the reference goes past 4; this only stops typos like 40. */
    public static final int MAX_LAYERS = 16;

    public ModelSpec {
        if (family == null) {
            throw new IllegalArgumentException("model family is required");
        }
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be between 1 and " + MAX_LAYERS + ", got " + layers);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden size must be at least 1, got " + hidden);
        }
        if (family == Family.RNN && activation == null) {
            throw new IllegalArgumentException("an rnn model needs an activation (tanh or relu)");
        }
        if (family != Family.RNN && activation != null) {
            throw new IllegalArgumentException("activation applies only to rnn models, not " + family.id());
        }
    }

    public static ModelSpec rnn(int layers, RnnActivation activation) {
        return new ModelSpec(Family.RNN, layers, DEFAULT_HIDDEN, activation, false, false);
    }

    public static ModelSpec lstm(int layers) {
        return new ModelSpec(Family.LSTM, layers, DEFAULT_HIDDEN, null, false, false);
    }

    public static ModelSpec gru(int layers) {
        return new ModelSpec(Family.GRU, layers, DEFAULT_HIDDEN, null, false, false);
    }

    public ModelSpec withExtraFc(boolean value) {
        return new ModelSpec(family, layers, hidden, activation, value, bidirectional);
    }

    public ModelSpec withBidirectional(boolean value) {
        return new ModelSpec(family, layers, hidden, activation, extraFc, value);
    }

    public ModelSpec withHidden(int value) {
        return new ModelSpec(family, layers, value, activation, extraFc, bidirectional);
    }

    /** Trainable parameters of the network {@link NetworkFactory} builds for this spec (weights and biases). */
    public long parameterCount() {
        int directions = bidirectional ? 2 : 1;
        long gates = Cell.of(family, activation).gates();
        long total = 0;
        long input = NetworkFactory.FEATURES;
        for (int i = 0; i < layers; i++) {
            long perDirection = gates * hidden * (input + hidden + 1) + (family == Family.GRU ? gates * hidden : 0);
            total += directions * perDirection;
            input = (long) hidden * directions;
        }
        if (extraFc) {
            total += input * hidden + hidden;
            input = hidden;
        }
        return total + input * NetworkFactory.CLASSES + NetworkFactory.CLASSES;
    }

    /** Short human name, e.g. {@code bi-lstm-2x128+fc} or {@code rnn-relu-3x128}. */
    public String describe() {
        return (bidirectional ? "bi-" : "") + family.id() + (activation != null ? "-" + activation.id() : "")
                + "-" + layers + "x" + hidden + (extraFc ? "+fc" : "");
    }
}
