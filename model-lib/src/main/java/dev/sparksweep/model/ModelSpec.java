package dev.sparksweep.model;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A recurrent classifier as the reference notebook defines it: a stack of {@code layers} recurrent layers of
 * {@code hidden} units, the output of the last time step, an optional extra fully connected layer (Dense + ReLU of
 * {@code hidden} units) and a softmax readout.
 *
 * @param activation the cell non-linearity; required for {@link Family#RNN}, {@code null} for the gated families
 * @param dropout    probability of dropping a unit (PyTorch's convention, not DL4J's retain probability), in
 *                   {@code [0, 1)}; 0 for none. As PyTorch's {@code nn.LSTM(dropout=p)}: applied in training only, to
 *                   the output of every recurrent layer but the last, i.e. to the input of recurrent layers 2 to n.
 *                   So a one-layer model is unaffected by it, and neither the extra fully connected layer nor the
 *                   readout ever sees dropout. Bidirectional layers differ from PyTorch in one respect: DL4J runs
 *                   each direction as its own layer, so each draws its own mask over the shared input, where PyTorch
 *                   drops the concatenated output of the previous layer once for both.
 */
public record ModelSpec(Family family, int layers, int hidden, RnnActivation activation, boolean extraFc,
                        boolean bidirectional, double dropout, BiasInit biasInit) implements Serializable {

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
        if (biasInit == null) {
            throw new IllegalArgumentException("bias initialisation is required (dl4j or pytorch)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout is the probability of dropping a unit: it must be at least 0"
                    + " and below 1, got " + dropout);
        }
    }

    /** With DL4J's bias initialisation, as every model was before {@link BiasInit} existed. */
    public ModelSpec(Family family, int layers, int hidden, RnnActivation activation, boolean extraFc,
                     boolean bidirectional, double dropout) {
        this(family, layers, hidden, activation, extraFc, bidirectional, dropout, BiasInit.DL4J);
    }

    /** Without dropout, as every model was before dropout existed. */
    public ModelSpec(Family family, int layers, int hidden, RnnActivation activation, boolean extraFc,
                     boolean bidirectional) {
        this(family, layers, hidden, activation, extraFc, bidirectional, 0.0);
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
        return new ModelSpec(family, layers, hidden, activation, value, bidirectional, dropout, biasInit);
    }

    public ModelSpec withBidirectional(boolean value) {
        return new ModelSpec(family, layers, hidden, activation, extraFc, value, dropout, biasInit);
    }

    public ModelSpec withHidden(int value) {
        return new ModelSpec(family, layers, value, activation, extraFc, bidirectional, dropout, biasInit);
    }

    /** The same model with this probability of dropping a unit between recurrent layers (see {@link #dropout()}). */
    public ModelSpec withDropout(double value) {
        return new ModelSpec(family, layers, hidden, activation, extraFc, bidirectional, value, biasInit);
    }

    /** The same model with its biases initialised by {@code value}. */
    public ModelSpec withBiasInit(BiasInit value) {
        return new ModelSpec(family, layers, hidden, activation, extraFc, bidirectional, dropout, value);
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

    /**
     * Short human name, e.g. {@code bi-lstm-2x128+fc}, {@code rnn-relu-3x128}, {@code gru-2x128+drop0.2} or
     * {@code lstm-2x128+ptbias} (biases drawn as PyTorch draws them).
     */
    public String describe() {
        return (bidirectional ? "bi-" : "") + family.id() + (activation != null ? "-" + activation.id() : "")
                + "-" + layers + "x" + hidden + (extraFc ? "+fc" : "")
                // Plain decimal: 1e-4 reads 0.0001, not Double.toString's 1.0E-4.
                + (dropout > 0 ? "+drop" + BigDecimal.valueOf(dropout).stripTrailingZeros().toPlainString() : "")
                + (biasInit == BiasInit.PYTORCH ? "+ptbias" : "");
    }
}
