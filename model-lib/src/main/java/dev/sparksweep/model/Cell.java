package dev.sparksweep.model;

/** The recurrent cells the fused layer computes, with their gate count per unit. */
public enum Cell {
    /** h' = tanh(x W + h RW + b), DL4J's SimpleRnn. */
    RNN_TANH(1),
    /** h' = relu(x W + h RW + b). */
    RNN_RELU(1),
    /**
     * DL4J's LSTM without peepholes; gate blocks in DL4J's order: block input (tanh), forget, output, input gate
     * (sigmoid), so stock parameters can be used as they are.
     */
    LSTM(4),
    /** PyTorch's GRU: reset, update, candidate, with separate input and recurrent biases. */
    GRU(3);

    private final int gates;

    Cell(int gates) {
        this.gates = gates;
    }

    public int gates() {
        return gates;
    }

    /** Only the GRU keeps a recurrent bias apart from the input bias (it sits inside the reset product). */
    public boolean hasRecurrentBias() {
        return this == GRU;
    }

    static Cell of(Family family, RnnActivation activation) {
        return switch (family) {
            case RNN -> activation == RnnActivation.RELU ? RNN_RELU : RNN_TANH;
            case LSTM -> LSTM;
            case GRU -> GRU;
        };
    }
}
