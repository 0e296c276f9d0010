package dev.sparksweep.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static dev.sparksweep.model.FusedParamInitializer.BIAS;
import static dev.sparksweep.model.FusedParamInitializer.RECURRENT_BIAS;
import static dev.sparksweep.model.FusedParamInitializer.RECURRENT_WEIGHTS;
import static dev.sparksweep.model.FusedParamInitializer.WEIGHTS;

/**
 * The working {@link FusedRecurrent} layer. Per mini-batch: one matrix product projects the inputs of all steps;
 * each step adds one product with the recurrent weights and runs the gate arithmetic in one pass
 * ({@link GateKernels}). Backpropagation through time runs one product per step for the gradient flowing to the
 * previous state; the weight gradients of all steps are three large products at the end. Nothing is allocated per
 * step: {@link StepBuffers} are kept per mini-batch shape (training and evaluation batches differ).
 *
 * <p>The backward pass reuses the forward pass of the same input when DL4J ran it for training (it always does, right
 * before); otherwise it recomputes it. Sequences are whole (no masks) and start from a zero state.
 *
 * <p>A dropout configured on the layer ({@code dropOut} of its builder) applies to its input, in training only, as in
 * DL4J's own layers: the dropped input feeds the forward pass and the weight gradients, and the gradient passed back
 * to the previous layer goes through the same mask.
 */
public class FusedRecurrentLayer extends BaseRecurrentLayer<FusedRecurrent> {

    private StepBuffers training;
    private StepBuffers inference;
    private boolean forwardCurrent;

    public FusedRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        forwardCurrent = false;
    }

    @Override
    public INDArray activate(boolean trainingMode, LayerWorkspaceMgr workspaceMgr) {
        // Replaces the input with its dropped version (training only, once per input: DL4J flags it as applied).
        applyDropOutIfNecessary(trainingMode, workspaceMgr);
        StepBuffers s = forward(trainingMode);
        forwardCurrent = trainingMode;
        if (layerConf().isLastStepOnly()) {
            INDArray last = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, s.dataType,
                    new long[]{s.batch, s.units}, 'c');
            last.assign(s.stateSteps[s.steps]);
            return last;
        }
        // Handed out as a permuted view of a [T, B, H] array: filling it is a straight copy, where a [B, H, T]
        // array in either standard order would need a transposing copy, ten times slower.
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, s.dataType,
                new long[]{s.steps, s.batch, s.units}, 'c');
        out.assign(s.outputs3);
        return timeLast(out);
    }

    private StepBuffers forward(boolean trainingMode) {
        assertInputSet(false);
        if (maskArray != null) {
            throw new UnsupportedOperationException("the fused recurrent layer does not support masked input");
        }
        INDArray in = permuteIfNWC(input);
        if (in.rank() != 3) {
            throw new IllegalStateException("recurrent input must be [batch, features, time], got rank " + in.rank());
        }
        Cell cell = layerConf().getCell();
        int batch = (int) in.size(0);
        int nIn = (int) in.size(1);
        int steps = (int) in.size(2);
        StepBuffers s = buffers(trainingMode, cell, batch, steps, nIn, in.dataType());
        GateKernels kernels = GateKernels.forType(s.dataType);
        INDArray w = getParam(WEIGHTS);
        INDArray rw = getParam(RECURRENT_WEIGHTS);
        double[] recurrentBias = cell.hasRecurrentBias() ? getParam(RECURRENT_BIAS).toDoubleVector() : null;

        s.inputs3.assign(in.permute(2, 0, 1));
        // gates = 1 b + X W: the bias in every row as a rank-one product, then the input projection on top.
        Gemm.gemm(s.ones, true, getParam(BIAS), false, s.gates2, 1.0, 0.0);
        Gemm.gemm(s.inputs, false, w, false, s.gates2, 1.0, 1.0);
        for (int t = 0; t < steps; t++) {
            if (cell == Cell.GRU) {
                if (t > 0) {
                    Gemm.gemm(s.stateSteps[t], false, rw, false, s.recurrentProduct, 1.0, 0.0);
                } else {
                    s.recurrentProduct.assign(0);
                }
            } else if (t > 0) {
                Gemm.gemm(s.stateSteps[t], false, rw, false, s.gateSteps[t], 1.0, 1.0);
            }
            kernels.forward(cell, s, t, recurrentBias);
        }
        return s;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!forwardCurrent) {
            // Recomputing: the forward pass must see the dropped input whose mask the returned gradient goes through.
            applyDropOutIfNecessary(true, workspaceMgr);
        }
        StepBuffers s = forwardCurrent ? training : forward(true);
        Cell cell = layerConf().getCell();
        StepBuffers.Backward g = s.backward(cell);
        GateKernels kernels = GateKernels.forType(s.dataType);
        INDArray w = getParam(WEIGHTS);
        INDArray rw = getParam(RECURRENT_WEIGHTS);

        if (layerConf().isLastStepOnly()) {
            g.outputGrad.assign(0);
            g.outputGrad3.get(NDArrayIndex.point(s.steps - 1), NDArrayIndex.all(), NDArrayIndex.all()).assign(epsilon);
        } else {
            g.outputGrad3.assign(permuteIfNWC(epsilon).permute(2, 0, 1));
        }
        g.stateGrad.assign(0);
        g.carried.assign(0);
        for (int t = s.steps - 1; t >= 0; t--) {
            kernels.backward(cell, s, g, t);
            if (t > 0) {
                Gemm.gemm(g.recurrentGateGradSteps[t], false, rw, true, g.stateGrad, 1.0, 0.0);
            }
        }

        // Every gradient view is overwritten below (beta = 0), so the flattened gradient needs no clearing.
        Gemm.gemm(s.inputs, true, g.gateGrad, false, gradientViews.get(WEIGHTS), 1.0, 0.0);
        Gemm.gemm(s.previousStates, true, g.recurrentGateGrad, false, gradientViews.get(RECURRENT_WEIGHTS), 1.0, 0.0);
        Gemm.gemm(s.ones, false, g.gateGrad, false, gradientViews.get(BIAS), 1.0, 0.0);
        if (cell.hasRecurrentBias()) {
            Gemm.gemm(s.ones, false, g.recurrentGateGrad, false, gradientViews.get(RECURRENT_BIAS), 1.0, 0.0);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : FusedParamInitializer.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }

        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, s.dataType,
                new long[]{s.steps, s.batch, s.nIn}, 'c');
        Gemm.gemm(g.gateGrad, false, w, true, epsOut.reshape('c', (long) s.steps * s.batch, s.nIn), 1.0, 0.0);
        forwardCurrent = false;
        // d(loss)/d(undropped input): the gradient at the dropped input times the dropout mask (and its 1/retain).
        return new Pair<>(gradient, backpropDropOutIfPresent(timeLast(epsOut)));
    }

    /** {@code [T, B, X]} seen as the layer's format: {@code [B, X, T]} (NCW) or {@code [B, T, X]} (NWC). */
    private INDArray timeLast(INDArray stepMajor) {
        return getDataFormat() == RNNFormat.NWC ? stepMajor.permute(1, 0, 2) : stepMajor.permute(1, 2, 0);
    }

    /** Training and inference keep separate buffers: their batch sizes usually differ. */
    private StepBuffers buffers(boolean trainingMode, Cell cell, int batch, int steps, int nIn, DataType dataType) {
        StepBuffers current = trainingMode ? training : inference;
        if (current == null || !current.fits(batch, steps, nIn, dataType)) {
            current = new StepBuffers(cell, batch, steps, nIn, (int) layerConf().getNOut(), dataType);
            if (trainingMode) {
                training = current;
            } else {
                inference = current;
            }
        }
        return current;
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the fused recurrent layer does not support truncated BPTT");
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the fused recurrent layer does not support stateful stepping");
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean trainingMode, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the fused recurrent layer does not support stateful stepping");
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasLayerNorm() {
        return false;
    }
}
