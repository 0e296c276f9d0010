package dev.sparksweep.model;

/**
 * The element-wise part of one recurrent step, on the whole mini-batch: everything between the matrix products.
 * Forward: turn the step's gate pre-activations (input projection plus recurrent product) into the new state.
 * Backward: from the gradient at the step's state, the gradients at its gate pre-activations.
 */
interface GateKernels {

    /**
     * @param recurrentBias GRU only: the recurrent bias {@code [3H]} (added here because it sits inside the reset
     *                      product); {@code null} otherwise
     */
    void forward(Cell cell, StepBuffers s, int t, double[] recurrentBias);

    /** Reads {@code outputGrad} of step t, {@code stateGrad} (from step t+1) and {@code carried}; writes the gates'. */
    void backward(Cell cell, StepBuffers s, StepBuffers.Backward g, int t);

    /** Vector kernels when the JDK's vector API is present and the data is float; otherwise scalar ones. */
    static GateKernels forType(org.nd4j.linalg.api.buffer.DataType dataType) {
        if (dataType == org.nd4j.linalg.api.buffer.DataType.FLOAT && VectorSupport.AVAILABLE) {
            return VectorSupport.kernels();
        }
        return dataType == org.nd4j.linalg.api.buffer.DataType.FLOAT ? ScalarGateKernels.FLOAT
                : ScalarGateKernels.DOUBLE;
    }
}
