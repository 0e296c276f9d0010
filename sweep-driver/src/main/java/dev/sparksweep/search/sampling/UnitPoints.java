package dev.sparksweep.search.sampling;

import org.apache.commons.math3.random.SobolSequenceGenerator;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Reproducible sequences of points in the unit cube [0, 1)^d: the i-th point depends only on the seed, the dimension
 * and i, so a sweep rerun (or extended with more trials) draws the same configurations first.
 */
public sealed interface UnitPoints {

    double[] point(int index);

    /** Independent uniform points. */
    record Uniform(long seed, int dimension) implements UnitPoints {
        @Override
        public double[] point(int index) {
            // One stream per point, split off the seed: point i never depends on how many came before.
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
            double[] u = new double[dimension];
            for (int k = 0; k < dimension; k++) {
                u[k] = random.nextDouble();
            }
            return u;
        }
    }

    /**
     * A scrambled Sobol sequence: Joe and Kuo's direction numbers (commons-math3), each coordinate then shifted by a
     * seeded random binary digit pattern (a digital shift, XOR on the 52 fraction bits), which keeps the sequence's
     * even coverage while making it random and unbiased, and moves the first point off the origin.
     */
    record Sobol(long seed, int dimension) implements UnitPoints {
        @Override
        public double[] point(int index) {
            if (dimension == 0) {
                return new double[0];
            }
            SobolSequenceGenerator sobol = new SobolSequenceGenerator(dimension);
            sobol.skipTo(index);
            double[] u = sobol.nextVector();
            Random shifts = new Random(seed);
            for (int k = 0; k < dimension; k++) {
                long shift = shifts.nextLong() & ((1L << 52) - 1);
                long bits = (long) (u[k] * (1L << 52));
                u[k] = ((bits ^ shift) & ((1L << 52) - 1)) / (double) (1L << 52);
            }
            return u;
        }
    }
}
