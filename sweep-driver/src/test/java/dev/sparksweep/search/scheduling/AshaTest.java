package dev.sparksweep.search.scheduling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ASHA's rungs and promotion rules on synthetic scores (no training). */
class AshaTest {

    @Test
    void rungsGrowByTheReductionFactorAndEndAtTheBudget() {
        assertEquals(List.of(100, 300, 900, 3000), Rungs.of(100, 3000, 3).iterations());
        assertEquals(List.of(37, 111, 333, 999), Rungs.of(37, 999, 3).iterations());
        assertEquals(List.of(500, 1000, 3000), Rungs.of(500, 3000, 2).iterations());
        assertEquals(List.of(3000), Rungs.of(3000, 3000, 3).iterations());
        assertEquals(List.of(100, 250), Rungs.of(100, 250, 3).iterations(), "min first even when min * eta > max");
        assertEquals(List.of(100, 299), Rungs.of(100, 299, 3).iterations());
        assertThrows(IllegalArgumentException.class, () -> Rungs.of(0, 3000, 3));
        assertThrows(IllegalArgumentException.class, () -> Rungs.of(4000, 3000, 3));
        assertThrows(IllegalArgumentException.class, () -> Rungs.of(100, 3000, 1));
    }

    @Test
    void aTrialIsPromotedWhenInTheTopThirdOfItsRungSoFar() {
        Asha asha = new Asha(Rungs.of(10, 90, 3));
        assertEquals(Asha.Decision.PROMOTED, asha.decide("a", 0, 0.50), "the first to arrive goes on");
        assertEquals(Asha.Decision.STOPPED, asha.decide("b", 0, 0.40), "rank 2 of 2: top 1 of ceil(2/3)");
        assertEquals(Asha.Decision.PROMOTED, asha.decide("c", 0, 0.60), "best so far");
        assertEquals(Asha.Decision.PROMOTED, asha.decide("d", 0, 0.55), "rank 2 of 4: top ceil(4/3) = 2");
        assertEquals(Asha.Decision.STOPPED, asha.decide("e", 0, 0.10));
        assertEquals(Asha.Decision.STOPPED, asha.decide("b", 0, 0.99), "decided once: a repeat changes nothing");
        assertEquals(Asha.Decision.PROMOTED, asha.decide("c", 1, 0.70));
        assertEquals(Asha.Decision.COMPLETED, asha.decide("c", 2, 0.80), "the last rung completes");
    }

    @Test
    void failedAndDivergedTrialsRankWorstAndNeverStallARung() {
        Asha asha = new Asha(Rungs.of(10, 90, 3));
        assertEquals(Asha.Decision.STOPPED, asha.decide("nan", 0, Double.NaN), "even as the first");
        assertEquals(Asha.Decision.PROMOTED, asha.decide("a", 0, 0.20), "outranks the failed one");
        assertEquals(2, asha.recorded(0));
    }

    @Test
    void aReplayedHistoryDecidesNewArrivalsAsTheFirstRunWould() {
        Asha first = new Asha(Rungs.of(10, 90, 3));
        Asha replayed = new Asha(Rungs.of(10, 90, 3));
        double[] scores = {0.5, 0.4, 0.6, 0.55, 0.1, 0.45};
        for (int i = 0; i < scores.length; i++) {
            Asha.Decision d = first.decide("t" + i, 0, scores[i]);
            replayed.record("t" + i, 0, scores[i], d);
        }
        assertEquals(first.decide("new", 0, 0.52), replayed.decide("new", 0, 0.52));
        assertEquals(Asha.Decision.STOPPED, replayed.decide("t1", 0, 0.9), "a replayed trial is not decided again");
    }

    /**
     * Thirty trials whose score at a rung is their true quality plus noise that shrinks with training: ASHA spends a
     * fraction of the full-budget compute and the best trial still reaches the last rung.
     */
    @Test
    void onACorrelatedObjectiveAshaSavesMostComputeAndKeepsTheBest() {
        Rungs rungs = Rungs.of(100, 2700, 3);
        assertEquals(List.of(100, 300, 900, 2700), rungs.iterations());
        Asha asha = new Asha(rungs);
        Random random = new Random(4);
        List<Double> quality = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            quality.add(0.8 + 0.15 * random.nextDouble());
        }
        int best = quality.indexOf(quality.stream().max(Double::compare).orElseThrow());
        long compute = 0;
        boolean bestCompleted = false;
        for (int t = 0; t < quality.size(); t++) {
            for (int rung = 0; rung < rungs.count(); rung++) {
                compute += rungs.at(rung) - (rung == 0 ? 0 : rungs.at(rung - 1));
                double noise = 0.02 / Math.sqrt(rung + 1) * random.nextGaussian();
                Asha.Decision d = asha.decide("t" + t, rung, quality.get(t) - 0.1 / (rung + 1) + noise);
                if (d == Asha.Decision.COMPLETED && t == best) {
                    bestCompleted = true;
                }
                if (d != Asha.Decision.PROMOTED) {
                    break;
                }
            }
        }
        long full = 30L * rungs.at(rungs.last());
        assertTrue(compute < full / 3, "compute " + compute + " of " + full);
        assertTrue(bestCompleted, "the best trial trained its whole budget");
    }
}
