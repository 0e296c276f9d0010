package dev.sparksweep.leaderboard;

import dev.sparksweep.search.params.Params;
import dev.sparksweep.search.sampling.Tpe;
import dev.sparksweep.search.scheduling.Asha;
import dev.sparksweep.search.scheduling.RungRecord;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * What a rerun of a sweep reads of its earlier runs to go on where they stopped: the observations its sampler refits
 * to, the rung decisions ASHA replays, the times a budget chain inherits, and the models it has kept.
 */
public final class SweepHistory {

    private final LeaderboardStore store;
    private final String sweep;

    public SweepHistory(LeaderboardStore store, String sweep) {
        this.store = store;
        this.sweep = sweep;
    }

    /**
     * Wall time of each trial of {@code sweep} that ended ok: what a longer budget continuing its final checkpoint
     * inherits.
     */
    public Map<String, Double> okWallSeconds() {
        Map<String, Double> walls = new HashMap<>();
        for (Row row : ResultsException.reading(() -> store.leaderboardOf(sweep).filter(col("status").equalTo("ok"))
                .select("trial_id", "wall_seconds").collectAsList())) {
            walls.put(row.getString(0), row.getDouble(1));
        }
        return walls;
    }

    /**
     * This sweep's trials as a sampler sees them (those it adopted from other sweeps included), each by its latest
     * attempt: the row's configuration (from the parameter columns; a parameter a row predates takes the value trials
     * had then) and its {@linkplain #score score}.
     */
    public List<Tpe.Observation> observations() {
        // One observation per trial, its latest attempt: a retried trial, or a seed ASHA stopped and then completed
        // (asha.complete-seeds), is one measurement, not two.
        List<Row> rows = ResultsException.reading(() -> LeaderboardQueries.latest(store.leaderboardOf(sweep))
                .collectAsList());
        List<Tpe.Observation> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(new Tpe.Observation(LeaderboardRows.configuration(row), score(row)));
        }
        return out;
    }

    /**
     * A trial another sweep trained, now counted by this one: its score, whether it trained its whole budget (status
     * ok), and whether this call recorded it.
     */
    public record Adoption(double score, boolean complete, boolean recorded) {
    }

    /**
     * Adopts {@code trialId}, which another sweep finished, as a member of this sweep (once) and returns the score of
     * its latest finished attempt; empty if the leaderboard holds none, or if that attempt is this sweep's own.
     */
    public java.util.Optional<Adoption> adopt(String trialId) {
        List<Row> rows = ResultsException.reading(() -> LeaderboardQueries.latest(store.leaderboard()
                .filter(col("trial_id").equalTo(trialId)
                        .and(col("status").isin(LeaderboardStore.FINISHED_STATUSES.toArray())))).collectAsList());
        if (rows.isEmpty() || sweep.equals(rows.get(0).getAs("sweep"))) {
            return java.util.Optional.empty();
        }
        boolean recorded = store.adopt(sweep, List.of(trialId)) > 0;
        return java.util.Optional.of(new Adoption(score(rows.get(0)), "ok".equals(rows.get(0).getAs("status")),
                recorded));
    }

    /** This sweep's trials in the leaderboard (adopted ones included), by id. */
    public java.util.Set<String> trialIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Row row : ResultsException.reading(() -> store.leaderboardOf(sweep).select("trial_id").distinct()
                .collectAsList())) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    /**
     * This sweep's trials (adopted ones included) whose latest attempt trained its whole budget (status ok), each
     * with its configuration.
     */
    public Map<String, Map<String, Object>> completeTrials() {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Row row : ResultsException.reading(() -> LeaderboardQueries.latest(store.leaderboardOf(sweep))
                .filter(col("status").equalTo("ok")).collectAsList())) {
            out.put(row.getAs("trial_id"), LeaderboardRows.configuration(row));
        }
        return out;
    }

    /**
     * A trial's score for a sampler, higher is better: its best validation accuracy (test accuracy where there is no
     * validation split); NaN for failed and diverged trials, which rank worst.
     */
    static double score(Row row) {
        String status = row.getAs("status");
        Double best = row.getAs("best_val_accuracy");
        Double test = row.getAs("test_accuracy");
        return status.equals("failed") || status.equals("diverged") ? Double.NaN
                : best != null ? best : test != null ? test : Double.NaN;
    }

    /**
     * A rung row's score, higher is better: its validation accuracy, its test accuracy where there is none; NaN
     * without either. A trial ASHA stopped at a rung measured its score there like one it promoted (its status says
     * why it ended, not that it has no score); only failed, diverged and timed-out segments rank worst (NaN).
     */
    public static double rungScore(Row rungRow) {
        String status = rungRow.getAs("status");
        if (!"ok".equals(status) && !"stopped".equals(status)) {
            return Double.NaN;
        }
        Double val = rungRow.getAs("validation_accuracy");
        Double test = rungRow.getAs("test_accuracy");
        return val != null ? val : test != null ? test : Double.NaN;
    }

    /**
     * The rung rows of each trial's latest attempt, per sweep, in their order: a trial trained again (it failed, or
     * {@code --retry} named its status) starts over at rung 0, so its rows from before its newest rung-0 row belong to
     * an attempt that is over.
     */
    public static List<Row> latestAttempts(List<Row> rungRows) {
        Map<String, java.sql.Timestamp> attemptStart = new HashMap<>();
        for (Row r : rungRows) {
            if (r.<Integer>getAs("rung") == 0) {
                attemptStart.merge(r.getAs("sweep") + "/" + r.getAs("trial_id"), r.getAs("finished_at"),
                        (a, b) -> a.after(b) ? a : b);
            }
        }
        return rungRows.stream().filter(r -> {
            java.sql.Timestamp start = attemptStart.get(r.getAs("sweep") + "/" + r.getAs("trial_id"));
            return start == null || !r.<java.sql.Timestamp>getAs("finished_at").before(start);
        }).toList();
    }

    /**
     * This sweep's trials that saved a model: {@code trial_id}, {@code model_path}, {@code final_val_accuracy} and
     * {@code test_accuracy}, oldest row first: a trial trained again has a row per attempt.
     */
    public List<Row> savedModels() {
        return ResultsException.reading(() -> store.leaderboard().filter(col("sweep").equalTo(sweep)
                        .and(col("model_path").isNotNull())).orderBy("finished_at")
                .select("trial_id", "model_path", "final_val_accuracy", "test_accuracy").collectAsList());
    }

    /**
     * This sweep's rung records, as ASHA replays them on a rerun: each trial's latest attempt. A trial trained again
     * (it failed, or {@code --retry} named its status) starts again at rung 0, and its earlier attempt's records are
     * history, not decisions to replay.
     */
    public List<RungRecord> rungRecords() {
        List<Row> rows = latestAttempts(ResultsException.reading(() -> store.rungs()
                .filter(col("sweep").equalTo(sweep)).collectAsList()));
        List<RungRecord> out = new ArrayList<>();
        for (Row r : rows) {
            double score = rungScore(r);
            String decision = r.getAs("decision");
            Asha.Decision d = switch (decision) {
                case "promoted" -> Asha.Decision.PROMOTED;
                case "completed" -> Asha.Decision.COMPLETED;
                default -> Asha.Decision.STOPPED; // stopped, or ended otherwise (diverged, failed, timed-out)
            };
            out.add(new RungRecord(r.getAs("trial_id"), r.<Integer>getAs("rung"), score, d, r.getAs("checkpoint"),
                    Params.decode(r.getAs("configuration"))));
        }
        return out;
    }
}
