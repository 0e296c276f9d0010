package dev.sparksweep.search.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al., MLSys 2020) as Ray Tune's scheduler decides it: a trial that reaches a
 * rung is promoted if its score is among the top 1/eta of the scores recorded at that rung so far (itself included),
 * and stopped otherwise; no trial waits for a rung to fill. A trial that failed or diverged scores worst and is never
 * promoted, so it cannot stall a rung. State is rebuilt from recorded decisions on a rerun ({@link #record}), and a
 * trial is decided at most once per rung.
 */
public final class Asha {

    /** What happens to a trial after a rung. */
    public enum Decision {
        /** Continues to the next rung from its checkpoint. */
        PROMOTED,
        /** Ends here with status {@code stopped}. */
        STOPPED,
        /** Reached the last rung: its whole budget. */
        COMPLETED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Decision parse(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private final Rungs rungs;
    private final List<List<Double>> scores = new ArrayList<>();
    private final Map<String, Decision> decided = new HashMap<>();

    public Asha(Rungs rungs) {
        this.rungs = rungs;
        for (int i = 0; i < rungs.count(); i++) {
            scores.add(new ArrayList<>());
        }
    }

    public Rungs rungs() {
        return rungs;
    }

    /**
     * Decides a trial that has just reached {@code rung}.
     *
     * @param score higher is better (validation accuracy at the rung); NaN for a failed or diverged trial
     */
    public synchronized Decision decide(String trialId, int rung, double score) {
        Decision earlier = decided.get(key(trialId, rung));
        if (earlier != null) {
            return earlier; // never twice
        }
        double s = Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
        scores.get(rung).add(s);
        Decision d;
        if (Double.isInfinite(s) && s < 0) {
            d = Decision.STOPPED;
        } else if (rung == rungs.last()) {
            d = Decision.COMPLETED;
        } else {
            List<Double> here = scores.get(rung);
            int better = (int) here.stream().filter(x -> x > s).count();
            int promotable = (int) Math.ceil(here.size() / (double) rungs.eta());
            d = better < promotable ? Decision.PROMOTED : Decision.STOPPED;
        }
        decided.put(key(trialId, rung), d);
        return d;
    }

    /**
     * Continues a trial whatever its score (a seed of a configuration that has completed its budget on another seed):
     * its score counts at the rung like any other, and it is promoted, or completed at the last rung.
     */
    public synchronized Decision force(String trialId, int rung, double score) {
        Decision d = rung == rungs.last() ? Decision.COMPLETED : Decision.PROMOTED;
        record(trialId, rung, score, d);
        return decided.get(key(trialId, rung));
    }

    /**
     * Promotes (or, at the last rung, completes) a trial outside the rung's population: its score does not count
     * against the trials that reach the rung after it (a finalist's later seed, {@code asha.other-seeds = finalists}).
     */
    public synchronized Decision forceOutside(String trialId, int rung) {
        Decision d = rung == rungs.last() ? Decision.COMPLETED : Decision.PROMOTED;
        decided.putIfAbsent(key(trialId, rung), d);
        return decided.get(key(trialId, rung));
    }

    /** Replays a decision made by an earlier run (from the leaderboard's rung records). */
    public synchronized void record(String trialId, int rung, double score, Decision decision) {
        if (decided.putIfAbsent(key(trialId, rung), decision) == null) {
            scores.get(rung).add(Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score);
        }
    }

    /** Scores recorded at a rung so far. */
    public synchronized int recorded(int rung) {
        return scores.get(rung).size();
    }

    private static String key(String trialId, int rung) {
        return trialId + "@" + rung;
    }
}
