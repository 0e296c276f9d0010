package dev.sparksweep.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every array one fused recurrent layer needs for a mini-batch shape, allocated once outside DL4J's workspaces and
 * reused by every iteration, with the per-step views the matrix products write into made up front (an ND4J view costs
 * tens of microseconds to create, more than the arithmetic of a small step).
 *
 * <p>Row layout: step {@code t}, example {@code b} is row {@code t * batch + b}. {@code states} has one extra block in
 * front, the zero initial state, so the state before step {@code t} is block {@code t}.
 */
final class StepBuffers {

    final int batch;
    final int steps;
    final int nIn;
    final int units;
    final int gates;
    final DataType dataType;

    /** {@code [T*B, nIn]} inputs; {@code inputs3} is the same memory as {@code [T, B, nIn]}. */
    final INDArray inputs;
    final INDArray inputs3;
    /** {@code [T*B, G*H]} gate pre-activations, overwritten by the gate activations. */
    final INDArray gates2;
    /** {@code [(T+1)*B, H]} hidden states; block 0 is zero. */
    final INDArray states;
    /** {@code [T, B, H]} view of the states after each step, for the layer output. */
    final INDArray outputs3;
    /** {@code [T*B, H]} view of the states before each step (for the recurrent weight gradient). */
    final INDArray previousStates;
    /** LSTM: cell states like {@code states}; and tanh of each step's cell state {@code [T*B, H]}. */
    final INDArray cells;
    final INDArray cellTanh;
    /** GRU: recurrent candidate part {@code [T*B, H]}, and the recurrent product of one step {@code [B, 3H]}. */
    final INDArray recurrentCandidate;
    final INDArray recurrentProduct;

    /** A row of ones {@code [1, T*B]}: bias broadcasts and bias gradients are rank-one matrix products with it. */
    final INDArray ones;

    final INDArray[] gateSteps;
    final INDArray[] stateSteps;

    final ByteBuffer gatesMem;
    final ByteBuffer statesMem;
    final ByteBuffer cellsMem;
    final ByteBuffer cellTanhMem;
    final ByteBuffer candidateMem;
    final ByteBuffer productMem;

    private Backward backward;

    StepBuffers(Cell cell, int batch, int steps, int nIn, int units, DataType dataType) {
        this.batch = batch;
        this.steps = steps;
        this.nIn = nIn;
        this.units = units;
        this.gates = cell.gates();
        this.dataType = dataType;
        int gh = gates * units;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            inputs = Nd4j.create(dataType, (long) steps * batch, nIn);
            inputs3 = inputs.reshape('c', steps, batch, nIn);
            gates2 = Nd4j.create(dataType, (long) steps * batch, gh);
            states = Nd4j.zeros(dataType, (long) (steps + 1) * batch, units);
            outputs3 = states.get(NDArrayIndex.interval((long) batch, (long) (steps + 1) * batch), NDArrayIndex.all())
                    .reshape('c', steps, batch, units);
            previousStates = states.get(NDArrayIndex.interval(0, (long) steps * batch), NDArrayIndex.all());
            if (!outputs3.isView() || !previousStates.isView()) {
                throw new IllegalStateException("state views must share the states' memory");
            }
            boolean lstm = cell == Cell.LSTM;
            boolean gru = cell == Cell.GRU;
            cells = lstm ? Nd4j.zeros(dataType, (long) (steps + 1) * batch, units) : null;
            cellTanh = lstm ? Nd4j.create(dataType, (long) steps * batch, units) : null;
            recurrentCandidate = gru ? Nd4j.create(dataType, (long) steps * batch, units) : null;
            recurrentProduct = gru ? Nd4j.zeros(dataType, batch, gh) : null;
            ones = Nd4j.ones(dataType, 1, (long) steps * batch);
            gateSteps = rowBlocks(gates2, steps, batch, 0);
            stateSteps = rowBlocks(states, steps + 1, batch, 0);
        }
        gatesMem = memory(gates2);
        statesMem = memory(states);
        cellsMem = cells == null ? null : memory(cells);
        cellTanhMem = cellTanh == null ? null : memory(cellTanh);
        candidateMem = recurrentCandidate == null ? null : memory(recurrentCandidate);
        productMem = recurrentProduct == null ? null : memory(recurrentProduct);
    }

    boolean fits(int batch, int steps, int nIn, DataType dataType) {
        return this.batch == batch && this.steps == steps && this.nIn == nIn && this.dataType == dataType;
    }

    /** The arrays only backpropagation needs, made on first use (inference never pays for them). */
    Backward backward(Cell cell) {
        if (backward == null) {
            backward = new Backward(cell);
        }
        return backward;
    }

    final class Backward {
        /** {@code [T*B, H]} gradient arriving at each step's output; {@code outputGrad3} as {@code [T, B, H]}. */
        final INDArray outputGrad;
        final INDArray outputGrad3;
        /** {@code [T*B, G*H]} gradient at the gate pre-activations (input side). */
        final INDArray gateGrad;
        /** GRU: gradient at the recurrent pre-activations {@code [T*B, 3H]}; else the same as {@code gateGrad}. */
        final INDArray recurrentGateGrad;
        /** {@code [B, H]} gradient reaching the previous state through the recurrent weights. */
        final INDArray stateGrad;
        /** LSTM: carried cell-state gradient; GRU: direct state gradient ({@code dh * z}); both {@code [B, H]}. */
        final INDArray carried;
        final INDArray[] gateGradSteps;
        final INDArray[] recurrentGateGradSteps;
        final ByteBuffer outputGradMem;
        final ByteBuffer gateGradMem;
        final ByteBuffer recurrentGateGradMem;
        final ByteBuffer stateGradMem;
        final ByteBuffer carriedMem;

        private Backward(Cell cell) {
            int gh = gates * units;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                outputGrad = Nd4j.create(dataType, (long) steps * batch, units);
                outputGrad3 = outputGrad.reshape('c', steps, batch, units);
                gateGrad = Nd4j.create(dataType, (long) steps * batch, gh);
                recurrentGateGrad = cell == Cell.GRU ? Nd4j.create(dataType, (long) steps * batch, gh) : gateGrad;
                stateGrad = Nd4j.zeros(dataType, batch, units);
                carried = Nd4j.zeros(dataType, batch, units);
                gateGradSteps = rowBlocks(gateGrad, steps, batch, 0);
                recurrentGateGradSteps = rowBlocks(recurrentGateGrad, steps, batch, 0);
            }
            outputGradMem = memory(outputGrad);
            gateGradMem = memory(gateGrad);
            recurrentGateGradMem = memory(recurrentGateGrad);
            stateGradMem = memory(stateGrad);
            carriedMem = memory(carried);
        }
    }

    private static INDArray[] rowBlocks(INDArray array, int blocks, int rows, long firstRow) {
        INDArray[] views = new INDArray[blocks];
        for (int i = 0; i < blocks; i++) {
            long from = firstRow + (long) i * rows;
            views[i] = array.get(NDArrayIndex.interval(from, from + rows), NDArrayIndex.all());
        }
        return views;
    }

    /** The native memory of a freshly made (offset 0, 'c' order) array, for the element-wise kernels. */
    private static ByteBuffer memory(INDArray array) {
        if (array.offset() != 0 || array.ordering() != 'c' || array.isView()) {
            throw new IllegalStateException("kernel buffers must be whole c-order arrays");
        }
        return array.data().asNio().order(ByteOrder.nativeOrder());
    }
}
