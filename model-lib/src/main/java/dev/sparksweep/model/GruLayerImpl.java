package dev.sparksweep.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

import static dev.sparksweep.model.GruParamInitializer.BIAS;
import static dev.sparksweep.model.GruParamInitializer.RECURRENT_BIAS;
import static dev.sparksweep.model.GruParamInitializer.RECURRENT_WEIGHTS;
import static dev.sparksweep.model.GruParamInitializer.WEIGHTS;

/**
 * The working {@link Gru} layer: forward pass and backpropagation through time, written with ND4J operations.
 * The input projection of all time steps is one matrix product; the backward pass recomputes the forward pass (as
 * DL4J's own recurrent layers do) so nothing has to outlive a workspace between the two calls. Sequences are
 * complete (no masks) and the state starts at zero each mini-batch; stateful stepping is not supported.
 */
public class GruLayerImpl extends BaseRecurrentLayer<Gru> {

    public GruLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Per-step values the backward pass needs. */
    private record Step(INDArray r, INDArray z, INDArray n, INDArray recurrentCandidate, INDArray previous) {
    }

    /** Forward results: the output {@code [batch, h, T]}, the flattened inputs and, for backprop, each step. */
    private record Forward(INDArray output, INDArray inputs, List<Step> steps) {
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training, false, workspaceMgr).output();
    }

    private Forward forward(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (maskArray != null) {
            throw new UnsupportedOperationException("the GRU layer does not support masked (variable-length) input");
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        if (in.rank() != 3) {
            throw new IllegalStateException("GRU layer expects input [batch, features, time], got rank " + in.rank());
        }
        long batch = in.size(0);
        long nIn = in.size(1);
        int steps = (int) in.size(2);
        long h = layerConf().getNOut();
        INDArray w = getParamWithNoise(WEIGHTS, training, workspaceMgr);
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, training, workspaceMgr);
        INDArray b = getParamWithNoise(BIAS, training, workspaceMgr);
        INDArray rb = getParamWithNoise(RECURRENT_BIAS, training, workspaceMgr);

        // [batch, nIn, T] -> [T * batch, nIn]: row t * batch + i is example i at step t.
        INDArray inputs = in.permute(2, 0, 1).dup('c').reshape('c', (long) steps * batch, nIn);
        INDArray projected = inputs.mmul(w).addiRowVector(b);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(),
                new long[]{batch, h, steps}, 'f');
        List<Step> cache = forBackprop ? new ArrayList<>(steps) : null;
        INDArray state = null;
        for (int t = 0; t < steps; t++) {
            INDArray gx = projected.get(rows((long) t * batch, batch), NDArrayIndex.all());
            INDArray gh = state == null ? Nd4j.zeros(in.dataType(), batch, 3 * h).addiRowVector(rb)
                    : state.mmul(rw).addiRowVector(rb);
            INDArray r = Transforms.sigmoid(gate(gx, 0, h).add(gate(gh, 0, h)), false);
            INDArray z = Transforms.sigmoid(gate(gx, 1, h).add(gate(gh, 1, h)), false);
            INDArray candidate = gate(gh, 2, h);
            INDArray n = Transforms.tanh(gate(gx, 2, h).add(r.mul(candidate)), false);
            // h' = n + z * (h - n), with h = 0 at the first step
            INDArray next = state == null ? n.sub(z.mul(n)) : n.add(z.mul(state.sub(n)));
            if (forBackprop) {
                cache.add(new Step(r, z, n, candidate.dup(), state));
            }
            output.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(next);
            state = next;
        }
        return new Forward(permuteBackIfNWC(output, workspaceMgr), inputs, cache);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Forward fwd = forward(true, true, workspaceMgr);
        INDArray eps = permuteIfNWC(epsilon);
        INDArray w = getParamWithNoise(WEIGHTS, true, workspaceMgr);
        INDArray rw = getParamWithNoise(RECURRENT_WEIGHTS, true, workspaceMgr);
        long batch = eps.size(0);
        long h = layerConf().getNOut();
        int steps = fwd.steps().size();

        INDArray gxGrad = Nd4j.zeros(eps.dataType(), (long) steps * batch, 3 * h);
        INDArray rwGrad = Nd4j.zeros(eps.dataType(), h, 3 * h);
        INDArray rbGrad = Nd4j.zeros(eps.dataType(), 1, 3 * h);
        INDArray carried = null;
        for (int t = steps - 1; t >= 0; t--) {
            Step s = fwd.steps().get(t);
            INDArray dh = eps.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup('c');
            if (carried != null) {
                dh.addi(carried);
            }
            INDArray oneMinusZ = s.z().rsub(1.0);
            INDArray dn = dh.mul(oneMinusZ);
            INDArray dz = s.previous() == null ? dh.mul(s.n()).negi() : dh.mul(s.previous().sub(s.n()));
            INDArray dnPre = dn.muli(s.n().mul(s.n()).rsubi(1.0));
            INDArray dzPre = dz.muli(s.z().mul(oneMinusZ));
            INDArray drPre = dnPre.mul(s.recurrentCandidate()).muli(s.r().mul(s.r().rsub(1.0)));

            INDArray gx = gxGrad.get(rows((long) t * batch, batch), NDArrayIndex.all());
            gate(gx, 0, h).assign(drPre);
            gate(gx, 1, h).assign(dzPre);
            gate(gx, 2, h).assign(dnPre);
            INDArray gh = gx.dup('c');
            gate(gh, 2, h).muli(s.r());
            rbGrad.addi(gh.sum(true, 0));
            if (s.previous() != null) {
                rwGrad.addi(s.previous().transpose().mmul(gh));
                carried = dh.mul(s.z()).addi(gh.mmul(rw.transpose()));
            }
        }
        INDArray wGrad = fwd.inputs().transpose().mmul(gxGrad);
        INDArray bGrad = gxGrad.sum(true, 0);
        INDArray inputGrad = gxGrad.mmul(w.transpose()); // [T * batch, nIn]

        gradientsFlattened.assign(0);
        gradientViews.get(WEIGHTS).assign(wGrad);
        gradientViews.get(RECURRENT_WEIGHTS).assign(rwGrad);
        gradientViews.get(BIAS).assign(bGrad);
        gradientViews.get(RECURRENT_BIAS).assign(rbGrad);
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GruParamInitializer.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }

        long nIn = inputGrad.size(1);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, eps.dataType(),
                new long[]{batch, nIn, steps}, 'f');
        epsOut.assign(inputGrad.reshape('c', steps, batch, nIn).permute(1, 2, 0));
        weightNoiseParams.clear();
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, permuteBackIfNWC(epsOut, workspaceMgr));
    }

    private INDArray permuteBackIfNWC(INDArray ncw, LayerWorkspaceMgr workspaceMgr) {
        return getDataFormat() == org.deeplearning4j.nn.conf.RNNFormat.NWC ? ncw.permute(0, 2, 1) : ncw;
    }

    private static INDArrayIndex rows(long from, long count) {
        return NDArrayIndex.interval(from, from + count);
    }

    /** Columns of gate {@code g} (0 reset, 1 update, 2 candidate) of a {@code [batch, 3h]} block. */
    private static INDArray gate(INDArray block, int g, long h) {
        return block.get(NDArrayIndex.all(), NDArrayIndex.interval(g * h, (g + 1) * h));
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer does not support truncated BPTT");
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer does not support stateful time stepping");
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("the GRU layer does not support stateful time stepping");
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
