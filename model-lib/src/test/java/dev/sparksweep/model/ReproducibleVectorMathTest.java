package dev.sparksweep.model;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.sparksweep.model.ReproducibleVectorMath.Function.EXP;
import static dev.sparksweep.model.ReproducibleVectorMath.Function.SIGMOID;
import static dev.sparksweep.model.ReproducibleVectorMath.Function.TANH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReproducibleVectorMath} is accurate to float precision and computes the same bits interpreted as compiled:
 * a child JVM that only interprets ({@code -Xint}) hashes the same results as this one after its JIT has compiled them.
 */
class ReproducibleVectorMathTest {

    /** exp's inputs: spread over its whole clamped range, with many near 0 where the gates work. */
    private static float[] inputs(int n) {
        Random random = new Random(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? -87f + 175f * random.nextFloat() : (float) (4 * random.nextGaussian());
        }
        return x;
    }

    /** {@code f} over {@code x}, through direct buffers as the kernels use it; odd offsets and a partial vector. */
    private static float[] apply(ReproducibleVectorMath.Function f, float[] x) {
        ByteBuffer from = ByteBuffer.allocateDirect((x.length + 3) * 4).order(ByteOrder.nativeOrder());
        ByteBuffer to = ByteBuffer.allocateDirect((x.length + 5) * 4).order(ByteOrder.nativeOrder());
        from.asFloatBuffer().put(3, x);
        ReproducibleVectorMath.apply(f, from, 3, to, 5, x.length);
        float[] y = new float[x.length];
        to.asFloatBuffer().get(5, y);
        return y;
    }

    @Test
    void expIsWithinTwoUlpOfTheCorrectlyRoundedValue() {
        float[] x = inputs(800_003);
        float[] y = apply(EXP, x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float exact = (float) Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp(exact));
        }
        System.out.printf("exp: worst error %.2f ulp over %d inputs%n", worst, x.length);
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void sigmoidAndTanhAreWithinFloatPrecision() {
        float[] x = inputs(800_003);
        float[] sigmoid = apply(SIGMOID, x);
        float[] tanh = apply(TANH, x);
        double worstSigmoid = 0;
        double worstTanh = 0;
        for (int i = 0; i < x.length; i++) {
            worstSigmoid = Math.max(worstSigmoid, Math.abs(sigmoid[i] - 1 / (1 + Math.exp(-x[i]))));
            worstTanh = Math.max(worstTanh, Math.abs(tanh[i] - Math.tanh(x[i])));
        }
        System.out.printf("sigmoid: worst absolute error %.3g; tanh: %.3g%n", worstSigmoid, worstTanh);
        assertTrue(worstSigmoid <= 1.5e-7, "sigmoid: " + worstSigmoid);
        assertTrue(worstTanh <= 2.5e-7, "tanh: " + worstTanh);
    }

    @Test
    void edgesSaturateAndNanStaysNan() {
        float[] edges = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1000f, -1000f, 0f, 88.5f, -87.5f};
        float[] x = edges;
        float[] exp = apply(EXP, x);
        float[] sigmoid = apply(SIGMOID, x);
        float[] tanh = apply(TANH, x);
        assertTrue(Float.isNaN(exp[0]) && Float.isNaN(sigmoid[0]) && Float.isNaN(tanh[0]), "NaN in, NaN out");
        for (int i = 1; i < edges.length; i++) {
            float v = edges[i];
            assertTrue(Float.isFinite(exp[i]) && exp[i] > 0, "exp(" + v + ") = " + exp[i]);
            assertEquals(1 / (1 + Math.exp(-v)), sigmoid[i], 1e-7, "sigmoid(" + v + ")");
            assertEquals(Math.tanh(v), tanh[i], 1e-7, "tanh(" + v + ")");
        }
        assertEquals(1f, exp[5], "exp(0)");
    }

    @Test
    void anInterpretingJvmComputesTheSameBits() throws Exception {
        // Here: run long enough for C2 to compile the functions (to SIMD instructions), then hash.
        String compiled = "";
        for (int round = 0; round < 400; round++) {
            compiled = hash(4099);
        }
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xint");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-D")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Interpreted.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the interpreting JVM did not finish");
        assertEquals(0, process.exitValue(), out);
        String interpreted = out.lines().reduce((a, b) -> b).orElse("");
        System.out.println("compiled " + compiled + ", interpreted " + interpreted);
        assertEquals(compiled, interpreted, "exp, sigmoid and tanh hash alike interpreted and compiled");
    }

    /** A hash of the bits of exp, sigmoid and tanh over {@code n} inputs (a partial vector at the end). */
    static String hash(int n) {
        float[] x = inputs(n);
        long h = 17;
        for (ReproducibleVectorMath.Function f : ReproducibleVectorMath.Function.values()) {
            for (float y : apply(f, x)) {
                h = 31 * h + Float.floatToRawIntBits(y);
            }
        }
        return Long.toHexString(h);
    }

    /** The child JVM: prints the hash, computed by the interpreter alone. */
    public static final class Interpreted {
        public static void main(String[] args) {
            System.out.println(hash(4099));
        }
    }
}
