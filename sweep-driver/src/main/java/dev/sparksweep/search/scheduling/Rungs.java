package dev.sparksweep.search.scheduling;

import java.util.ArrayList;
import java.util.List;

/**
 * ASHA's rungs: iteration counts min, min * eta, min * eta^2, ... up to the budget, which is always the last rung.
 *
 * @param iterations the iteration count of each rung, ascending; the last is the trial's full budget
 * @param eta        the reduction factor: the top 1/eta of each rung goes on
 */
public record Rungs(List<Integer> iterations, int eta) {

    public Rungs {
        iterations = List.copyOf(iterations);
        if (iterations.isEmpty()) {
            throw new IllegalArgumentException("no rungs");
        }
        if (eta < 2) {
            throw new IllegalArgumentException("reduction factor must be at least 2, got " + eta);
        }
    }

    /**
     * Rungs from {@code min} iterations, multiplied by {@code eta} while the next one still fits under {@code max},
     * ending at {@code max}: with 100, 3000 and 3 they are 100, 300, 900, 3000 (2700 would leave a last segment a
     * tenth of the others, a decision for almost no information); with 100, 250 and 3, 100 and 250.
     */
    public static Rungs of(int min, int max, int eta) {
        if (min < 1 || min > max) {
            throw new IllegalArgumentException("min-iterations must be between 1 and max-iterations (" + max
                    + "), got " + min);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("reduction-factor must be at least 2, got " + eta);
        }
        // Every trial trains min first, even when min * eta is beyond the budget (100, 250, 3: 100, 250).
        List<Integer> rungs = new ArrayList<>(List.of(min));
        for (long r = (long) min * eta; r * eta <= max; r *= eta) {
            rungs.add((int) r);
        }
        if (max > min) {
            rungs.add(max);
        }
        return new Rungs(rungs, eta);
    }

    public int count() {
        return iterations.size();
    }

    public int last() {
        return iterations.size() - 1;
    }

    public int at(int rung) {
        return iterations.get(rung);
    }

    /**
     * The iterations a trial that starts at rung 0 is expected to train: every one trains the first rung, and about
     * 1/eta^k of them each later segment, up to rung k (the top 1/eta of each rung goes on).
     */
    public double expectedIterations() {
        double expected = iterations.get(0);
        double reach = 1;
        for (int k = 1; k < iterations.size(); k++) {
            reach /= eta;
            expected += reach * (iterations.get(k) - iterations.get(k - 1));
        }
        return expected;
    }

    /** The share of trials expected to reach the last rung: 1/eta^(rungs - 1). */
    public double shareReachingLast() {
        return Math.pow(eta, -last());
    }
}
