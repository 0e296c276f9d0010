package dev.sparksweep.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * exp, the logistic sigmoid and tanh over a run of floats with the JDK's vector API, built only from operations IEEE
 * 754 rounds exactly (add, multiply, fused multiply-add, divide, min, max, bit shifts), so every JVM computes the same
 * bits whether the code runs interpreted, compiled by C1, or compiled by C2 to SIMD instructions.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: its intrinsic (Intel's SVML in C2) and its Java fallback (one
 * {@code Math.exp} per lane, which runs until C2 compiles the kernel) round differently in the last bit. A trial's
 * first iterations in a fresh JVM then train on other bits than the same iterations in a warm one, and over thousands
 * of iterations of chaotic training that grows into another result: the same seed, run in two JVMs, differed by 0.5
 * point of validation accuracy at 2000 iterations (GRU-3 x 256, 2026-11-30). With these functions a seed's result
 * does not depend on which JVM trained it, or on what that JVM ran before.
 *
 * <p>exp: {@code x = k ln 2 + r} with {@code |r| <= ln 2 / 2}, {@code exp(r)} by its Taylor polynomial of degree 7
 * (truncation below 6e-9 relative, a tenth of a float ulp), times {@code 2^k} built in the exponent bits: within 1 ulp
 * of the correctly rounded value (measured; the test allows 2). Arguments are clamped to [-87, 88], where the result
 * is a normal float: far below, exp is 1.6e-38 instead of 0; far above, 1.7e38 instead of infinity, which leaves the
 * sigmoid and tanh exact to float precision. NaN stays NaN, so a diverged trial is still seen.
 *
 * <p>Why whole runs rather than a function of one vector: a vector passed to or returned from a method C2 does not
 * inline is boxed on the heap, and C2 stops inlining a kernel's own methods once the kernel has grown past its node
 * budget (NodeCountInliningCutoff). Three inlined exps in one GRU step did that, and made training 20-30 % slower.
 * Here every vector stays inside one loop whose calls are the vector API's own (always inlined), so callers hand
 * over buffers and offsets only.
 */
final class ReproducibleVectorMath {

    /** What {@link #apply} computes: {@code exp(scale x)}, then the function's final step. */
    enum Function {
        EXP(1f), SIGMOID(-1f), TANH(2f);

        private final float scale;

        Function(float scale) {
            this.scale = scale;
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts: the high one has 9 significant bits, so {@code k * LN2_HI} is exact for |k| < 2^15. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding 1.5 * 2^23 rounds a float of magnitude below 2^22 to the nearest integer, kept in the low bits. */
    private static final float ROUNDER = 12582912f;
    private static final float LOWEST = -87f;
    private static final float HIGHEST = 88f;

    private ReproducibleVectorMath() {
    }

    /**
     * {@code to[toIndex + i] = f(from[fromIndex + i])} for {@code i < n} (indices in floats; the two runs may be the
     * same, not otherwise overlap).
     */
    static void apply(Function f, ByteBuffer from, long fromIndex, ByteBuffer to, long toIndex, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = j + L <= n ? null : S.indexInRange(j, n);
            int in = (int) ((fromIndex + j) << 2);
            FloatVector x = m == null ? FloatVector.fromByteBuffer(S, from, in, ORDER)
                    : FloatVector.fromByteBuffer(S, from, in, ORDER, m);
            FloatVector v = x.mul(f.scale).max(LOWEST).min(HIGHEST);
            FloatVector t = v.mul(LOG2E).add(ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.lanewise(VectorOperators.FMA, -LN2_HI, v);
            r = k.lanewise(VectorOperators.FMA, -LN2_LO, r);
            // Horner with fused multiply-adds, written out so that C2 sees constants.
            FloatVector p = r.lanewise(VectorOperators.FMA, 1f / 5040, 1f / 720);
            p = p.lanewise(VectorOperators.FMA, r, 1f / 120);
            p = p.lanewise(VectorOperators.FMA, r, 1f / 24);
            p = p.lanewise(VectorOperators.FMA, r, 1f / 6);
            p = p.lanewise(VectorOperators.FMA, r, 0.5f);
            p = p.lanewise(VectorOperators.FMA, r, 1f);
            p = p.lanewise(VectorOperators.FMA, r, 1f);
            // 2^k from t's bits, 0x4B400000 + k (its ulp is 1): shifted by 23, the constant's bits fall out and
            // k + 127 (in [1, 254] here) lands in the exponent. Not through convert(F2I), which C2 does not compile
            // to SIMD in JDK 17 (7 times slower, measured).
            FloatVector e = p.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats());
            FloatVector y = f == Function.EXP ? e
                    : f == Function.SIGMOID ? one.div(e.add(1f)) // 1 / (1 + exp(-x))
                    : one.add(one).div(e.add(1f)).neg().add(1f); // 1 - 2 / (exp(2x) + 1)
            int out = (int) ((toIndex + j) << 2);
            if (m == null) {
                y.intoByteBuffer(to, out, ORDER);
            } else {
                y.intoByteBuffer(to, out, ORDER, m);
            }
        }
    }
}
