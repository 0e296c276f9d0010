package dev.sparksweep.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.sparksweep.model.ReproducibleVectorMath.Function.SIGMOID;
import static dev.sparksweep.model.ReproducibleVectorMath.Function.TANH;

/**
 * The gate arithmetic in float with the JDK's vector API: SIMD, about ten times faster per element than ND4J's own
 * transform ops on small arrays. The sigmoids and tanhs are {@link ReproducibleVectorMath}'s passes over a row's
 * gates, the same bits in every JVM; the arithmetic between them is tight loops without branches. Loaded only through
 * {@link VectorSupport}. Same formulas as {@link ScalarGateKernels}, which the tests hold it to. The last partial
 * vector of a row (hidden sizes not a multiple of the vector width) is masked.
 */
final class VectorGateKernels implements GateKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private static FloatVector load(ByteBuffer b, long element, VectorMask<Float> m) {
        return m == null ? FloatVector.fromByteBuffer(S, b, (int) (element << 2), ORDER)
                : FloatVector.fromByteBuffer(S, b, (int) (element << 2), ORDER, m);
    }

    private static void store(FloatVector v, ByteBuffer b, long element, VectorMask<Float> m) {
        if (m == null) {
            v.intoByteBuffer(b, (int) (element << 2), ORDER);
        } else {
            v.intoByteBuffer(b, (int) (element << 2), ORDER, m);
        }
    }

    private static FloatVector oneMinus(FloatVector x) {
        return x.neg().add(1f);
    }

    /** The mask for the vector starting at {@code j} of a row of {@code h}; null when the vector is whole. */
    private static VectorMask<Float> mask(int j, int h) {
        return j + L <= h ? null : S.indexInRange(j, h);
    }

    @Override
    public void forward(Cell cell, StepBuffers s, int t, double[] recurrentBias) {
        switch (cell) {
            case RNN_TANH, RNN_RELU -> rnnForward(s, t, cell == Cell.RNN_RELU);
            case LSTM -> lstmForward(s, t);
            case GRU -> gruForward(s, t, floats(recurrentBias));
        }
    }

    @Override
    public void backward(Cell cell, StepBuffers s, StepBuffers.Backward g, int t) {
        switch (cell) {
            case RNN_TANH, RNN_RELU -> rnnBackward(s, g, t, cell == Cell.RNN_RELU);
            case LSTM -> lstmBackward(s, g, t);
            case GRU -> gruBackward(s, g, t);
        }
    }

    private static void rnnForward(StepBuffers s, int t, boolean relu) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long g = (rows + b) * h;
            long next = (rows + b + s.batch) * h;
            if (!relu) {
                ReproducibleVectorMath.apply(TANH, s.gatesMem, g, s.statesMem, next, h);
                continue;
            }
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                store(load(s.gatesMem, g + j, m).max(0f), s.statesMem, next + j, m);
            }
        }
    }

    private static void rnnBackward(StepBuffers s, StepBuffers.Backward g, int t, boolean relu) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long row = (rows + b) * h;
            long next = (rows + b + s.batch) * h;
            long own = (long) b * h;
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector dh = load(g.outputGradMem, row + j, m).add(load(g.stateGradMem, own + j, m));
                FloatVector y = load(s.statesMem, next + j, m);
                FloatVector d = relu ? dh.blend(0f, y.compare(VectorOperators.LE, 0f)) : dh.mul(oneMinus(y.mul(y)));
                store(d, g.gateGradMem, row + j, m);
            }
        }
    }

    private static void lstmForward(StepBuffers s, int t) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long g = (rows + b) * 4L * h;
            long prev = (rows + b) * h;
            long next = (rows + b + s.batch) * h;
            // The gates activated in place: a (the candidate, tanh), then f, o and i (sigmoid), side by side.
            ReproducibleVectorMath.apply(TANH, s.gatesMem, g, s.gatesMem, g, h);
            ReproducibleVectorMath.apply(SIGMOID, s.gatesMem, g + h, s.gatesMem, g + h, 3 * h);
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector a = load(s.gatesMem, g + j, m);
                FloatVector f = load(s.gatesMem, g + h + j, m);
                FloatVector i = load(s.gatesMem, g + 3L * h + j, m);
                FloatVector c = f.mul(load(s.cellsMem, prev + j, m)).add(i.mul(a));
                store(c, s.cellsMem, next + j, m);
                store(c, s.cellTanhMem, prev + j, m);
            }
            ReproducibleVectorMath.apply(TANH, s.cellTanhMem, prev, s.cellTanhMem, prev, h);
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                store(load(s.gatesMem, g + 2L * h + j, m).mul(load(s.cellTanhMem, prev + j, m)), s.statesMem,
                        next + j, m);
            }
        }
    }

    private static void lstmBackward(StepBuffers s, StepBuffers.Backward g, int t) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long gi = (rows + b) * 4L * h;
            long row = (rows + b) * h;
            long own = (long) b * h;
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector dh = load(g.outputGradMem, row + j, m).add(load(g.stateGradMem, own + j, m));
                FloatVector a = load(s.gatesMem, gi + j, m);
                FloatVector f = load(s.gatesMem, gi + h + j, m);
                FloatVector o = load(s.gatesMem, gi + 2L * h + j, m);
                FloatVector i = load(s.gatesMem, gi + 3L * h + j, m);
                FloatVector tc = load(s.cellTanhMem, row + j, m);
                FloatVector dc = dh.mul(o).mul(oneMinus(tc.mul(tc))).add(load(g.carriedMem, own + j, m));
                store(dc.mul(i).mul(oneMinus(a.mul(a))), g.gateGradMem, gi + j, m);
                store(dc.mul(load(s.cellsMem, row + j, m)).mul(f).mul(oneMinus(f)), g.gateGradMem, gi + h + j, m);
                store(dh.mul(tc).mul(o).mul(oneMinus(o)), g.gateGradMem, gi + 2L * h + j, m);
                store(dc.mul(a).mul(i).mul(oneMinus(i)), g.gateGradMem, gi + 3L * h + j, m);
                store(dc.mul(f), g.carriedMem, own + j, m);
            }
        }
    }

    private double[] biasSource;
    private float[] biasFloats;

    /** The layer passes one bias array for all steps of a forward pass: convert it once, not per step. */
    private float[] floats(double[] bias) {
        if (bias != biasSource) {
            biasFloats = new float[bias.length];
            for (int i = 0; i < bias.length; i++) {
                biasFloats[i] = (float) bias[i];
            }
            biasSource = bias;
        }
        return biasFloats;
    }

    private static void gruForward(StepBuffers s, int t, float[] rb) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long g = (rows + b) * 3L * h;
            long p = (long) b * 3L * h;
            long prev = (rows + b) * h;
            long next = (rows + b + s.batch) * h;
            // r and z, side by side: input part, recurrent product and recurrent bias, then the sigmoid in place.
            for (int j = 0; j < 2 * h; j += L) {
                VectorMask<Float> m = mask(j, 2 * h);
                FloatVector bias = m == null ? FloatVector.fromArray(S, rb, j) : FloatVector.fromArray(S, rb, j, m);
                store(load(s.gatesMem, g + j, m).add(load(s.productMem, p + j, m)).add(bias), s.gatesMem, g + j, m);
            }
            ReproducibleVectorMath.apply(SIGMOID, s.gatesMem, g, s.gatesMem, g, 2 * h);
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector rbN = m == null ? FloatVector.fromArray(S, rb, 2 * h + j)
                        : FloatVector.fromArray(S, rb, 2 * h + j, m);
                FloatVector candidate = load(s.productMem, p + 2L * h + j, m).add(rbN);
                FloatVector r = load(s.gatesMem, g + j, m);
                store(candidate, s.candidateMem, prev + j, m);
                store(load(s.gatesMem, g + 2L * h + j, m).add(r.mul(candidate)), s.gatesMem, g + 2L * h + j, m);
            }
            ReproducibleVectorMath.apply(TANH, s.gatesMem, g + 2L * h, s.gatesMem, g + 2L * h, h);
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector z = load(s.gatesMem, g + h + j, m);
                FloatVector n = load(s.gatesMem, g + 2L * h + j, m);
                FloatVector hp = load(s.statesMem, prev + j, m);
                store(n.add(z.mul(hp.sub(n))), s.statesMem, next + j, m);
            }
        }
    }

    private static void gruBackward(StepBuffers s, StepBuffers.Backward g, int t) {
        int h = s.units;
        long rows = (long) t * s.batch;
        for (int b = 0; b < s.batch; b++) {
            long gi = (rows + b) * 3L * h;
            long row = (rows + b) * h;
            long own = (long) b * h;
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = mask(j, h);
                FloatVector dh = load(g.outputGradMem, row + j, m).add(load(g.stateGradMem, own + j, m))
                        .add(load(g.carriedMem, own + j, m));
                FloatVector r = load(s.gatesMem, gi + j, m);
                FloatVector z = load(s.gatesMem, gi + h + j, m);
                FloatVector n = load(s.gatesMem, gi + 2L * h + j, m);
                FloatVector hp = load(s.statesMem, row + j, m);
                FloatVector oneMinusZ = oneMinus(z);
                FloatVector dnPre = dh.mul(oneMinusZ).mul(oneMinus(n.mul(n)));
                FloatVector dzPre = dh.mul(hp.sub(n)).mul(z).mul(oneMinusZ);
                FloatVector drPre = dnPre.mul(load(s.candidateMem, row + j, m)).mul(r).mul(oneMinus(r));
                store(drPre, g.gateGradMem, gi + j, m);
                store(dzPre, g.gateGradMem, gi + h + j, m);
                store(dnPre, g.gateGradMem, gi + 2L * h + j, m);
                store(drPre, g.recurrentGateGradMem, gi + j, m);
                store(dzPre, g.recurrentGateGradMem, gi + h + j, m);
                store(dnPre.mul(r), g.recurrentGateGradMem, gi + 2L * h + j, m);
                store(dh.mul(z), g.carriedMem, own + j, m);
            }
        }
    }
}
