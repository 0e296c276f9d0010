package dev.sparksweep.model;

/**
 * How a network's biases start. The reference notebook's PyTorch layers draw every bias: a recurrent layer has two
 * bias vectors ({@code b_ih} and {@code b_hh}), each uniform within 1/sqrt(hidden), so their sum is what one DL4J bias
 * vector must hold; a linear layer draws its bias uniformly within 1/sqrt(fan-in). DL4J starts biases at a constant.
 */
public enum BiasInit {
    /** DL4J's convention: every bias 0, except an LSTM's forget gate, which starts at 1 (remember by default). */
    DL4J("dl4j"),
    /**
     * PyTorch's: recurrent biases the sum of two uniform draws within 1/sqrt(hidden) (forget gate included), dense
     * and readout biases one uniform draw within 1/sqrt(fan-in).
     */
    PYTORCH("pytorch");

    private final String id;

    BiasInit(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static BiasInit parse(String text) {
        for (BiasInit b : values()) {
            if (b.id.equals(text)) {
                return b;
            }
        }
        throw new IllegalArgumentException("bias initialisation must be dl4j or pytorch, got '" + text + "'");
    }
}
