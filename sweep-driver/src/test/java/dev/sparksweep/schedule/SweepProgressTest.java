package dev.sparksweep.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepProgressTest {

    @Test
    void countsTrialsThroughTheirLifeAndEstimatesOnlyOnceOneFinished() {
        SweepProgress p = new SweepProgress("s", 5, 2);
        assertTrue(p.line().contains("0/5 done, 0 running, 5 queued, 0 not ok"), p.line());
        assertTrue(p.line().endsWith("ETA ?"), p.line());
        p.started("a");
        p.started("b");
        assertTrue(p.line().contains("0/5 done, 2 running, 3 queued"), p.line());
        p.finished("a", false, 100);
        p.finished("b", true, 100);
        assertEquals(2, p.done());
        assertEquals(1, p.failed());
        // 3 queued trials of ~100 s on 2 slots: about 150 s.
        String line = p.line();
        assertTrue(line.contains("2/5 done, 0 running, 3 queued, 1 not ok"), line);
        assertTrue(line.endsWith("ETA 2m30s") || line.endsWith("ETA 2m29s"), line);
    }

    @Test
    void formatsDurationsForPeople() {
        assertEquals("59s", SweepProgress.format(Duration.ofSeconds(59)));
        assertEquals("1m05s", SweepProgress.format(Duration.ofSeconds(65)));
        assertEquals("2h03m", SweepProgress.format(Duration.ofMinutes(123)));
    }
}
