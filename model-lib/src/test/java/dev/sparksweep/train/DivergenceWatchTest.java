package dev.sparksweep.train;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss-ratio rule on chosen losses, where real training cannot be steered: resets, the limit itself, off. */
class DivergenceWatchTest {

    private static Optional<String> feed(StopRules rules, double start, double... windows) {
        DivergenceWatch watch = new DivergenceWatch(rules);
        watch.start(start);
        Optional<String> last = Optional.empty();
        for (int i = 0; i < windows.length; i++) {
            last = watch.windowDone(100 * (i + 1), windows[i]);
            if (last.isPresent() && i < windows.length - 1) {
                throw new AssertionError("stopped early, at window " + (i + 1) + ": " + last.get());
            }
        }
        return last;
    }

    @Test
    void onlyWindowsAboveTheLimitInARowCount() {
        StopRules rules = new StopRules(Duration.ZERO, 2.0, 2);
        assertTrue(feed(rules, 2.0, 5.0, 3.9, 5.0).isEmpty(), "a window below the limit resets the count");
        assertTrue(feed(rules, 2.0, 4.0, 4.0, 4.0).isEmpty(), "at the limit is not above it");
        Optional<String> why = feed(rules, 2.0, 5.0, 3.0, 4.5, 6.0);
        assertEquals(Optional.of("mean training loss 6.000 of the window ending at iteration 400 is 3.00 x the "
                + "starting loss 2.000 (iteration 1), above the limit of 2.0 x for 2 evaluations in a row"), why);
    }

    @Test
    void patienceOneStopsAtTheFirstWindowAboveAndZeroNever() {
        assertTrue(feed(new StopRules(Duration.ZERO, 3.0, 1), 2.0, 6.5).orElseThrow()
                .endsWith("limit of 3.0 x for 1 evaluation in a row"));
        assertTrue(feed(new StopRules(Duration.ZERO, 2.0, 0), 2.0, 50, 50, 50, 50).isEmpty());
    }

    @Test
    void withoutAStartingLossNothingIsJudged() {
        DivergenceWatch watch = new DivergenceWatch(StopRules.DEFAULT);
        assertTrue(watch.windowDone(10, 1e6).isEmpty());
        assertTrue(watch.windowDone(20, 1e6).isEmpty());
    }

    @Test
    void impossibleRulesAreRefusedNamingTheValue() {
        assertThrows(NullPointerException.class, () -> new StopRules(null, 2.0, 2));
        IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class,
                () -> new StopRules(Duration.ZERO, 1.0, 2));
        assertTrue(ratio.getMessage().contains("above 1, got 1.0"), ratio.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StopRules(Duration.ZERO, Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> new StopRules(Duration.ZERO, Double.POSITIVE_INFINITY, 2));
        IllegalArgumentException patience = assertThrows(IllegalArgumentException.class,
                () -> new StopRules(Duration.ZERO, 2.0, -1));
        assertTrue(patience.getMessage().contains("got -1"), patience.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StopRules(Duration.ofSeconds(-1), 2.0, 2));
        assertEquals(new StopRules(Duration.ofMinutes(5), 2.0, 2),
                StopRules.DEFAULT.withTimeLimit(Duration.ofMinutes(5)));
    }
}
