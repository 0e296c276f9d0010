package dev.sparksweep.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void runningMeansOnACoreAndTheEtaComesFromTheRunningTrialsOwnRates() {
        SweepProgress p = new SweepProgress("s", 3, 2);
        p.planned("a", "lstm-2x128", 1000);
        p.planned("b", "rnn-tanh-1x16", 1000);
        p.planned("c", "gru-1x16", 500);
        assertTrue(p.line().contains("0/3 done, 0 running, 3 queued, 0 not ok"), p.line());
        assertTrue(p.line().endsWith("ETA ?"), "nothing measured yet: " + p.line());
        long now = System.nanoTime();
        // a: 100 s for 250 of 1000 iterations -> 300 s left; b: 100 s for 500 -> 100 s left, then c (500 at the
        // running trials' 0.267 s/iteration) on b's slot: 100 + 133 = 233 s. The sweep ends with a, in 300 s.
        p.running("a", now - 100 * SECOND, 250);
        p.running("b", now - 100 * SECOND, 500);
        String line = p.line();
        assertTrue(line.contains("0/3 done, 2 running (lstm-2x128 250/1000, rnn-tanh-1x16 500/1000), 1 queued"),
                line);
        assertTrue(line.endsWith("ETA 5m00s") || line.endsWith("ETA 4m59s"), line);
    }

    @Test
    void trialsASchedulerAddsOnTheWayRaiseTheTotalAndASegmentedTrialCountsOnce() {
        SweepProgress p = new SweepProgress("s", 2, 1);
        p.planned("a-r0", "gru-1x8 r0", 10);
        p.continued("a-r0", 1, 10);
        p.planned("a-r1", "gru-1x8 r1", 30);
        p.finished("a-r1", "a", false, 2, 20);
        p.planned("b-r0", "gru-1x8 r0", 10);
        p.finished("b-r0", "b", false, 1, 10);
        assertTrue(p.line().contains("2/2 done, 0 running, 0 queued"), p.line());
        // ASHA starts the completed configuration's other seed: a trial the sweep did not know of at its start.
        p.planned("c-r0", "gru-1x8 r0", 10);
        assertTrue(p.line().contains("2/3 done, 0 running, 1 queued"), p.line());
        p.finished("c-r0", "c", false, 1, 10);
        assertTrue(p.line().contains("3/3 done"), p.line());
    }

    @Test
    void aLongTrialLeftAloneIsNotEstimatedAsAlmostDone() {
        SweepProgress p = new SweepProgress("s", 2, 2);
        p.planned("short", "rnn-tanh-1x16", 100);
        p.planned("long", "lstm-2x128", 3000);
        long now = System.nanoTime();
        p.running("short", now - 10 * SECOND, 100);
        p.running("long", now - 10 * SECOND, 30);
        p.finished("short", false, 10, 100);
        // The finished trial took 0.1 s/iteration; the long one runs at 0.33 s/iteration: 2970 left -> 990 s.
        String line = p.line();
        assertTrue(line.contains("1/2 done, 1 running (lstm-2x128 30/3000), 0 queued"), line);
        assertTrue(line.endsWith("ETA 16m30s") || line.endsWith("ETA 16m29s"), line);
    }

    @Test
    void aTrialThatContinuedFromItsProgressCheckpointShowsWhereItIsAndItsOwnPace() {
        SweepProgress p = new SweepProgress("s", 1, 1);
        p.planned("a", "bi-gru-3x128", 3000);
        long now = System.nanoTime();
        // Continued from iteration 2000; trained 100 more in 50 s: 0.5 s/iteration, 900 left -> 450 s (not the
        // 2900 left at a pace of 100 per 50 s that ignoring the resume would give).
        p.running("a", now - 50 * SECOND, 100, 2000);
        String line = p.line();
        assertTrue(line.contains("(bi-gru-3x128 2100/3000)"), line);
        assertTrue(line.endsWith("ETA 7m30s") || line.endsWith("ETA 7m29s"), line);
        // A resume the task took back (its checkpoint would not load) shows where it really is.
        p.running("a", now - 50 * SECOND, 150, 0);
        assertTrue(p.line().contains("(bi-gru-3x128 150/3000)"), p.line());
        // A new attempt of the task starts over (its own resume point, reported again).
        p.running("a", now, 0, 0);
        assertTrue(p.line().contains("(bi-gru-3x128 0/3000)"), p.line());
    }

    @Test
    void aTrialPlannedUpFrontTakesTheLabelOfTheWorkItStartsAs() {
        SweepProgress p = new SweepProgress("s", 1, 1);
        p.planned("a", "lstm-2x128", 3000);
        p.planned("a", "lstm-2x128 3000->6000", 3000);
        p.running("a", System.nanoTime() - 10 * SECOND, 100);
        assertTrue(p.line().contains("(lstm-2x128 3000->6000 100/3000)"), p.line());
        p.planned("a", "something else", 10);
        assertTrue(p.line().contains("(lstm-2x128 3000->6000 100/3000)"), "not once it runs: " + p.line());
    }

    @Test
    void queuedTrialsUseTheFinishedTrialsPaceOnTheSlotsThatFreeUp() {
        SweepProgress p = new SweepProgress("s", 5, 2);
        for (String id : new String[]{"a", "b", "c", "d", "e"}) {
            p.planned(id, id, 100);
        }
        long now = System.nanoTime();
        p.running("a", now, 0);
        p.running("b", now, 0);
        p.finished("a", false, 100, 100);
        p.finished("b", true, 100, 100);
        assertEquals(2, p.done());
        assertEquals(1, p.failed());
        // 3 queued trials of 100 s each on 2 slots: 200 s.
        String line = p.line();
        assertTrue(line.contains("2/5 done, 0 running, 3 queued, 1 not ok"), line);
        assertTrue(line.endsWith("ETA 3m20s") || line.endsWith("ETA 3m19s"), line);
    }

    @Test
    void trialsNotYetProposedArePricedAtWhatEachIsExpectedToTrainWhenTheSchedulerSays() {
        for (boolean asha : new boolean[]{false, true}) {
            SweepProgress p = new SweepProgress("s", 3, 1);
            if (asha) {
                p.expectPerNewTrial(250); // rung 0 of 100 iterations for all, more for the few promoted
            }
            p.planned("a-r0", "gru-2x128", 100, 2.0);
            long now = System.nanoTime();
            p.running("a-r0", now - 200 * SECOND, 100);
            p.finished("a-r0", "a", false, 200, 100);
            // 1 s per unit of work, 2 units per iteration: two trials not proposed yet, each 100 iterations (the mean
            // of what was planned) or 250 (expected under ASHA), one after the other.
            String line = p.line();
            String eta = asha ? "ETA 16m40s" : "ETA 6m40s";
            assertTrue(line.endsWith(eta) || line.endsWith(eta.replace("40s", "39s")), asha + ": " + line);
        }
    }

    @Test
    void aQueuedTrialIsPricedByItsCostPerIterationNotAsTheAverageTrial() {
        SweepProgress p = new SweepProgress("s", 3, 1);
        p.planned("small", "rnn-tanh-1x128", 100, 1.0);
        p.planned("big", "bi-gru-3x128", 100, 10.0);
        p.planned("tiny", "rnn-tanh-1x16", 100, 0.5);
        long now = System.nanoTime();
        p.running("small", now - 100 * SECOND, 100);
        p.finished("small", false, 100, 100);
        // 1 s per unit of work: big takes 100 x 10 = 1000 s, tiny 50 s, one after the other on the one slot.
        String line = p.line();
        assertTrue(line.endsWith("ETA 17m30s") || line.endsWith("ETA 17m29s"), line);
    }

    @Test
    void formatsDurationsForPeople() {
        assertEquals("59s", SweepProgress.format(Duration.ofSeconds(59)));
        assertEquals("1m05s", SweepProgress.format(Duration.ofSeconds(65)));
        assertEquals("2h03m", SweepProgress.format(Duration.ofMinutes(123)));
    }
}
