package dev.sparksweep.leaderboard;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Welch's test at the edges seed statistics meet: equal runs, constant samples. */
class ConfigRankingTest {

    @Test
    void constantSamplesAreComparedByValueNotByAVarianceThatRoundsAwayFromZero() {
        double[] a = {0.9727, 0.9727, 0.9727};
        double[] b = {0.9715, 0.9715, 0.9715};
        assertEquals(0.0, ConfigRanking.welch(a, b), "constant and different: certainly different");
        assertEquals(1.0, ConfigRanking.welch(a, a.clone()), "constant and equal: no difference");
        double[] c = {0.97, 0.98, 0.99};
        double[] d = {0.95, 0.96, 0.97};
        assertEquals(new TTest().tTest(c, d), ConfigRanking.welch(c, d), 0.0, "otherwise Welch's two-sided p");
        assertEquals(0.0, ConfigRanking.welch(new double[]{0.9, 0.9}, new double[]{0.8, 0.8}));
    }
}
