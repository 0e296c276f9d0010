package dev.sparksweep.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Where a running sweep stands, and the line that shows it. A trial is running once Spark reports its task started
 * (a submitted job may still wait for a core), and shows how far it is from the iterations its executor last reported.
 *
 * <p>The ETA comes from actual rates: a running trial's remaining iterations at its own pace so far; a queued trial's
 * budget at the pace the finished trials took (or, before any finished, the running ones), scaled by its cost per
 * iteration relative to theirs ({@link WorkCost}: a 3-layer bidirectional GRU is not priced as a 1-layer RNN); queued
 * trials are then laid onto the slots as they free up.
 */
public final class SweepProgress {

    private final String sweep;
    private final int total;
    private final long startNanos;
    private int slots;
    /** The trials that ended, and whether each ended other than ok (a trial ASHA revives can end twice). */
    private final Map<String, Boolean> ended = new LinkedHashMap<>();
    private double finishedSeconds;
    /** Iterations of the finished trials, each weighted by its cost per iteration. */
    private double finishedWork;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private double plannedWork;
    private long plannedIterations;
    private int plannedCount;
    /** Iterations a trial not yet proposed is expected to train in all (ASHA); NaN: as the planned ones, on average. */
    private double expectedPerNewTrial = Double.NaN;

    /** A planned trial not finished yet: queued until its task starts. */
    private static final class Pending {
        final String label;
        final int budget;
        final double cost;
        long startedNanos = -1;
        /** Iterations trained by the running task. */
        long iterations;
        /** Iterations the running task did not have to train: it continued from its progress checkpoint. */
        long resumed;

        Pending(String label, int budget, double cost) {
            this.label = label;
            this.budget = budget;
            this.cost = cost;
        }
    }

    public SweepProgress(String sweep, int total, int slots) {
        this.sweep = sweep;
        this.total = total;
        this.slots = Math.max(1, slots);
        this.startNanos = System.nanoTime();
    }

    /** Executors come and go (and register only after the sweep starts): the ETA follows the slots there are. */
    public synchronized void slots(int value) {
        slots = Math.max(1, value);
    }

    /** A trial the sweep will train, of the same cost per iteration as every other; queued until {@link #running}. */
    public synchronized void planned(String trialId, String label, int budgetIterations) {
        planned(trialId, label, budgetIterations, 1.0);
    }

    /**
     * A trial the sweep will train; it is queued until {@link #running}.
     *
     * @param costPerIteration its work per iteration, in any unit common to the sweep's trials ({@link WorkCost})
     */
    public synchronized void planned(String trialId, String label, int budgetIterations, double costPerIteration) {
        Pending earlier = pending.get(trialId);
        if (earlier == null) {
            pending.put(trialId, new Pending(label, budgetIterations, costPerIteration));
            plannedWork += budgetIterations * costPerIteration;
            plannedIterations += budgetIterations;
            plannedCount++;
        } else if (earlier.startedNanos < 0) {
            // Planned up front by trial, now about to start as work: its label says what it is (a budget that
            // continues a shorter one: "3000->6000").
            pending.put(trialId, new Pending(label, budgetIterations, costPerIteration));
            plannedWork += budgetIterations * costPerIteration - earlier.budget * earlier.cost;
            plannedIterations += budgetIterations - earlier.budget;
        }
    }

    /**
     * How many iterations a trial not yet proposed is expected to train in all, for the ETA (ASHA: the first rung for
     * every trial, later ones for a share, and the finalists' seeds); without it such a trial counts as the mean of
     * the work planned so far, which under ASHA is a segment, not a trial.
     */
    public synchronized void expectPerNewTrial(double iterations) {
        expectedPerNewTrial = iterations;
    }

    /** What Spark last reported of a submitted trial's task: when it started and the iterations it has trained. */
    public synchronized void running(String trialId, long startedNanos, long iterations) {
        running(trialId, startedNanos, iterations, 0);
    }

    /**
     * What Spark last reported of a submitted trial's task: when it started, the iterations it has trained, and those
     * it skipped by continuing from the progress checkpoint an interrupted run left. Skipped iterations count as done
     * but not towards the task's pace (they took no time of it).
     */
    public synchronized void running(String trialId, long startedNanos, long iterations, long resumed) {
        Pending p = pending.get(trialId);
        if (p != null) {
            if (p.startedNanos != startedNanos) {
                p.iterations = 0; // a new attempt starts over
                p.resumed = 0;
            }
            p.startedNanos = startedNanos;
            p.resumed = Math.max(0, Math.min(resumed, p.budget)); // the latest report: a resume can be taken back
            p.iterations = Math.max(p.iterations, Math.min(iterations, p.budget - p.resumed));
        }
    }

    /** @param failed whether the trial ended other than ok */
    public synchronized void finished(String trialId, boolean failed, double trialSeconds, int iterationsDone) {
        finished(trialId, trialId, failed, trialSeconds, iterationsDone);
    }

    /**
     * The last work of a trial ended, and with it the trial (counted once, as it ended last).
     *
     * @param workId  the work, as planned ({@code trialId}, or an ASHA segment's id)
     * @param failed  whether the trial ended other than ok
     */
    public synchronized void finished(String workId, String trialId, boolean failed, double trialSeconds,
                                      int iterationsDone) {
        Pending p = pending.remove(workId);
        ended.put(trialId, failed);
        if (iterationsDone > 0) {
            finishedSeconds += trialSeconds;
            finishedWork += iterationsDone * (p == null ? 1.0 : p.cost);
        }
    }

    /**
     * A segment of a trial ended and the trial goes on (ASHA promoted it): its pace counts, but the trial is not done.
     */
    public synchronized void continued(String workId, double seconds, int iterations) {
        Pending p = pending.remove(workId);
        if (iterations > 0) {
            finishedSeconds += seconds;
            finishedWork += iterations * (p == null ? 1.0 : p.cost);
        }
    }

    public synchronized int done() {
        return ended.size();
    }

    public synchronized int failed() {
        return (int) ended.values().stream().filter(f -> f).count();
    }

    public synchronized int running() {
        return (int) pending.values().stream().filter(p -> p.startedNanos >= 0).count();
    }

    public synchronized String line() {
        long now = System.nanoTime();
        List<Pending> running = pending.values().stream().filter(p -> p.startedNanos >= 0).toList();
        int done = done();
        // Trials a scheduler adds on the way (ASHA starting a finalist's other seeds) raise the total; a trial is
        // counted once, whichever of its segments is pending (an ASHA segment's id is its trial's plus "-r<rung>").
        Set<String> trials = new HashSet<>(ended.keySet());
        pending.keySet().forEach(id -> trials.add(id.replaceFirst("-r\\d+$", "")));
        int total = Math.max(this.total, trials.size());
        int queued = Math.max(pending.size() - running.size(), total - done - running.size());
        List<String> shown = new ArrayList<>();
        for (Pending p : running.subList(0, Math.min(4, running.size()))) {
            shown.add(String.format("%s %d/%d", p.label, p.resumed + p.iterations, p.budget));
        }
        String runningText = running.size() + " running" + (shown.isEmpty() ? ""
                : " (" + String.join(", ", shown) + (running.size() > shown.size() ? ", ..." : "") + ")");
        return String.format("[%s] %d/%d done, %s, %d queued, %d not ok | elapsed %s | ETA %s", sweep, done, total,
                runningText, queued, failed(), format(Duration.ofNanos(now - startNanos)), eta(now, running, queued));
    }

    private String eta(long now, List<Pending> running, int queued) {
        double perWork = secondsPerWork(now, running);
        PriorityQueue<Double> slotFree = new PriorityQueue<>();
        for (Pending p : running) {
            double remaining;
            if (p.iterations > 0) {
                remaining = (p.budget - p.resumed - p.iterations) * ((now - p.startedNanos) / 1e9 / p.iterations);
            } else if (!Double.isNaN(perWork)) {
                remaining = Math.max(0, (p.budget - p.resumed) * p.cost * perWork - (now - p.startedNanos) / 1e9);
            } else {
                return "?";
            }
            slotFree.add(remaining);
        }
        if (queued > 0) {
            if (Double.isNaN(perWork)) {
                return "?";
            }
            while (slotFree.size() < slots) {
                slotFree.add(0.0);
            }
            for (Pending p : pending.values()) {
                if (p.startedNanos < 0) {
                    slotFree.add(slotFree.poll() + p.budget * p.cost * perWork);
                }
            }
            // Trials a sampler has not proposed yet: the mean work of those it has, or what such a trial is expected
            // to train (ASHA) at the mean cost per iteration of what is planned.
            double meanWork = Double.isNaN(expectedPerNewTrial) || plannedIterations == 0
                    ? plannedWork / Math.max(1, plannedCount)
                    : expectedPerNewTrial * plannedWork / plannedIterations;
            for (int i = pending.size() - running.size(); i < queued; i++) {
                slotFree.add(slotFree.poll() + meanWork * perWork);
            }
        }
        double eta = slotFree.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return format(Duration.ofMillis((long) (1000 * eta)));
    }

    /**
     * Seconds per unit of work (an iteration times its cost), evaluation included: from finished trials, else from
     * the running ones so far.
     */
    private double secondsPerWork(long now, List<Pending> running) {
        if (finishedWork > 0) {
            return finishedSeconds / finishedWork;
        }
        double seconds = 0;
        double work = 0;
        for (Pending p : running) {
            if (p.iterations > 0) {
                seconds += (now - p.startedNanos) / 1e9;
                work += p.iterations * p.cost;
            }
        }
        return work > 0 ? seconds / work : Double.NaN;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
