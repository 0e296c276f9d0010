package dev.sparksweep.refit;

import dev.sparksweep.leaderboard.ConfigStatistics;
import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardRows;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

/**
 * The configuration a refit trains, chosen from a results folder: a trial's, a configuration's (its best seed), or the
 * best configuration of a sweep by mean validation accuracy over its seeds (the {@code configs} view).
 *
 * @param trialId       the trial whose settings (seed included) are refitted
 * @param configuration its hyperparameters by sweep-file key
 * @param why           how it was chosen, for people
 */
public record RefitSource(String sweep, String trialId, String configId, String model,
                          Map<String, Object> configuration, String dataset, String datasetChecksum, String why) {

    public RefitSource {
        configuration = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(configuration));
    }

    /** The sweep named, or the only sweep of the results; refused when there are several and none is named. */
    public static String sweep(LeaderboardStore store, String named) {
        // A sweep that trained nothing itself (every trial shared with an earlier sweep) is a sweep too.
        List<String> sweeps = ResultsException.reading(() -> store.leaderboard().select("sweep")
                .union(store.members().select("sweep")).distinct().orderBy("sweep").collectAsList()).stream()
                .map(r -> r.getString(0)).toList();
        if (named != null) {
            if (!sweeps.contains(named)) {
                throw new IllegalArgumentException("--sweep " + named + ": no such sweep in the results (they hold "
                        + (sweeps.isEmpty() ? "none" : String.join(", ", sweeps)) + ")");
            }
            return named;
        }
        if (sweeps.size() != 1) {
            throw new IllegalArgumentException(sweeps.isEmpty() ? "the results hold no trials to refit"
                    : "the results hold several sweeps (" + String.join(", ", sweeps) + "): name one with --sweep");
        }
        return sweeps.get(0);
    }

    /** Trial {@code trialId} of the sweep, which must have finished ok. */
    public static RefitSource trial(LeaderboardStore store, String sweep, String trialId) {
        List<Row> rows = ok(store, sweep).filter(col("trial_id").equalTo(trialId)).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--trial " + trialId + ": sweep " + sweep + " has no trial of that id"
                    + " that finished ok");
        }
        return of(rows.get(0), sweep, "trial " + trialId);
    }

    /** The configuration {@code configId}, refitted with the seed of its best trial. */
    public static RefitSource config(LeaderboardStore store, String sweep, String configId) {
        List<Row> rows = ok(store, sweep).filter(col("config_id").equalTo(configId))
                .orderBy(col("best_val_accuracy").desc_nulls_last(), col("trial_id")).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--config " + configId + ": sweep " + sweep + " has no trial of that"
                    + " configuration that finished ok (see: sparksweep leaderboard --by config)");
        }
        return of(rows.get(0), sweep, "configuration " + configId + ", with the seed of its best trial");
    }

    /**
     * The configuration of the sweep with the best mean validation accuracy over its seeds: the one
     * {@code leaderboard --by config} marks best, so of those with two seeds or more when there are any (a single
     * lucky run does not outrank a replicated mean).
     */
    public static RefitSource best(LeaderboardStore store, String sweep) {
        Dataset<Row> leaderboard = LeaderboardQueries.ofSweep(store, sweep);
        List<Row> best = ResultsException.reading(() -> ConfigStatistics.configs(leaderboard)
                .filter(col("n").gt(0).and(col("val_mean").isNotNull()))
                .orderBy(when(col("n").geq(2), 1).otherwise(0).desc(), col("val_mean").desc(), col("config_id"))
                .limit(1).collectAsList());
        if (best.isEmpty()) {
            throw new IllegalArgumentException("sweep " + sweep + " has no trial that finished ok with a validation"
                    + " accuracy: nothing to choose from");
        }
        Row config = best.get(0);
        RefitSource source = config(store, sweep, config.getAs("config_id"));
        return new RefitSource(source.sweep(), source.trialId(), source.configId(), source.model(),
                source.configuration(), source.dataset(), source.datasetChecksum(),
                String.format(java.util.Locale.ROOT, "the best configuration of sweep %s by mean validation accuracy"
                        + " (%.2f %% over %d seed(s)), with the seed of its best trial", sweep,
                        100 * config.<Double>getAs("val_mean"), config.<Long>getAs("n")));
    }

    private static Dataset<Row> ok(LeaderboardStore store, String sweep) {
        return ConfigStatistics.withConfigIds(LeaderboardQueries.ofSweep(store, sweep))
                .filter(col("status").equalTo("ok"));
    }

    private static RefitSource of(Row row, String sweep, String why) {
        return new RefitSource(sweep, row.getAs("trial_id"), row.getAs("config_id"), row.getAs("model"),
                LeaderboardRows.configuration(row), row.getAs("dataset"), row.getAs("dataset_checksum"), why);
    }
}
