package dev.sparksweep.model;

import java.nio.ByteBuffer;

/**
 * Plain loops for the gate arithmetic, in float or double. The reference for the vector kernels, the path for double
 * precision (gradient checks), and the fallback when the vector API is absent.
 */
final class ScalarGateKernels implements GateKernels {

    static final ScalarGateKernels FLOAT = new ScalarGateKernels(4);
    static final ScalarGateKernels DOUBLE = new ScalarGateKernels(8);

    private final int bytes;

    private ScalarGateKernels(int bytes) {
        this.bytes = bytes;
    }

    private double get(ByteBuffer b, long i) {
        return bytes == 4 ? b.getFloat((int) (i * 4)) : b.getDouble((int) (i * 8));
    }

    private void set(ByteBuffer b, long i, double v) {
        if (bytes == 4) {
            b.putFloat((int) (i * 4), (float) v);
        } else {
            b.putDouble((int) (i * 8), v);
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public void forward(Cell cell, StepBuffers s, int t, double[] recurrentBias) {
        int h = s.units;
        int gh = s.gates * h;
        for (int b = 0; b < s.batch; b++) {
            long row = (long) t * s.batch + b;
            long g = row * gh;
            long prev = row * h;              // state before step t: block t
            long next = (row + s.batch) * h;  // state after step t: block t + 1
            for (int j = 0; j < h; j++) {
                switch (cell) {
                    case RNN_TANH -> set(s.statesMem, next + j, Math.tanh(get(s.gatesMem, g + j)));
                    case RNN_RELU -> set(s.statesMem, next + j, Math.max(0, get(s.gatesMem, g + j)));
                    case LSTM -> {
                        double a = Math.tanh(get(s.gatesMem, g + j));
                        double f = sigmoid(get(s.gatesMem, g + h + j));
                        double o = sigmoid(get(s.gatesMem, g + 2L * h + j));
                        double i = sigmoid(get(s.gatesMem, g + 3L * h + j));
                        double c = f * get(s.cellsMem, prev + j) + i * a;
                        double tc = Math.tanh(c);
                        set(s.gatesMem, g + j, a);
                        set(s.gatesMem, g + h + j, f);
                        set(s.gatesMem, g + 2L * h + j, o);
                        set(s.gatesMem, g + 3L * h + j, i);
                        set(s.cellsMem, next + j, c);
                        set(s.cellTanhMem, row * h + j, tc);
                        set(s.statesMem, next + j, o * tc);
                    }
                    case GRU -> {
                        long p = (long) b * gh;
                        double r = sigmoid(get(s.gatesMem, g + j) + get(s.productMem, p + j) + recurrentBias[j]);
                        double z = sigmoid(get(s.gatesMem, g + h + j) + get(s.productMem, p + h + j)
                                + recurrentBias[h + j]);
                        double candidate = get(s.productMem, p + 2L * h + j) + recurrentBias[2 * h + j];
                        double n = Math.tanh(get(s.gatesMem, g + 2L * h + j) + r * candidate);
                        double hp = get(s.statesMem, prev + j);
                        set(s.gatesMem, g + j, r);
                        set(s.gatesMem, g + h + j, z);
                        set(s.gatesMem, g + 2L * h + j, n);
                        set(s.candidateMem, row * h + j, candidate);
                        set(s.statesMem, next + j, n + z * (hp - n));
                    }
                }
            }
        }
    }

    @Override
    public void backward(Cell cell, StepBuffers s, StepBuffers.Backward g, int t) {
        int h = s.units;
        int gh = s.gates * h;
        for (int b = 0; b < s.batch; b++) {
            long row = (long) t * s.batch + b;
            long gi = row * gh;
            long prev = row * h;
            long next = (row + s.batch) * h;
            long own = (long) b * h;
            for (int j = 0; j < h; j++) {
                double dh = get(g.outputGradMem, row * h + j) + get(g.stateGradMem, own + j);
                switch (cell) {
                    case RNN_TANH -> {
                        double y = get(s.statesMem, next + j);
                        set(g.gateGradMem, gi + j, dh * (1 - y * y));
                    }
                    case RNN_RELU -> set(g.gateGradMem, gi + j, get(s.statesMem, next + j) > 0 ? dh : 0);
                    case LSTM -> {
                        double a = get(s.gatesMem, gi + j);
                        double f = get(s.gatesMem, gi + h + j);
                        double o = get(s.gatesMem, gi + 2L * h + j);
                        double i = get(s.gatesMem, gi + 3L * h + j);
                        double tc = get(s.cellTanhMem, row * h + j);
                        double dc = dh * o * (1 - tc * tc) + get(g.carriedMem, own + j);
                        set(g.gateGradMem, gi + j, dc * i * (1 - a * a));
                        set(g.gateGradMem, gi + h + j, dc * get(s.cellsMem, prev + j) * f * (1 - f));
                        set(g.gateGradMem, gi + 2L * h + j, dh * tc * o * (1 - o));
                        set(g.gateGradMem, gi + 3L * h + j, dc * a * i * (1 - i));
                        set(g.carriedMem, own + j, dc * f);
                    }
                    case GRU -> {
                        dh += get(g.carriedMem, own + j);
                        double r = get(s.gatesMem, gi + j);
                        double z = get(s.gatesMem, gi + h + j);
                        double n = get(s.gatesMem, gi + 2L * h + j);
                        double hp = get(s.statesMem, prev + j);
                        double dnPre = dh * (1 - z) * (1 - n * n);
                        double dzPre = dh * (hp - n) * z * (1 - z);
                        double drPre = dnPre * get(s.candidateMem, row * h + j) * r * (1 - r);
                        set(g.gateGradMem, gi + j, drPre);
                        set(g.gateGradMem, gi + h + j, dzPre);
                        set(g.gateGradMem, gi + 2L * h + j, dnPre);
                        set(g.recurrentGateGradMem, gi + j, drPre);
                        set(g.recurrentGateGradMem, gi + h + j, dzPre);
                        set(g.recurrentGateGradMem, gi + 2L * h + j, dnPre * r);
                        set(g.carriedMem, own + j, dh * z);
                    }
                }
            }
        }
    }
}
