package dev.sparksweep.refit;

import dev.sparksweep.leaderboard.LeaderboardRows;
import dev.sparksweep.leaderboard.LeaderboardSchema;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code models} table's row of a refit ({@link LeaderboardSchema#MODELS}). */
final class ModelRows {

    private ModelRows() {
    }

    static Row row(RefitOutcome o, String sparkVersion) {
        TrialResult r = o.result();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("model_id", o.modelId());
        v.put("model_path", o.modelFile().toString());
        v.put("sweep", o.source().sweep());
        v.put("source_trial_id", o.source().trialId());
        v.put("config_id", o.source().configId());
        v.put("model", o.source().model());
        v.put("configuration", Params.encode(LocalRefit.configuration(o.source(), o.iterations())));
        v.put("dataset", o.source().dataset());
        v.put("dataset_checksum", o.source().datasetChecksum());
        v.put("train_images", o.trainImages());
        v.put("iterations", o.iterations());
        v.put("batch_size", o.batchSize());
        v.put("seed", o.seed());
        v.put("test_accuracy", Double.isFinite(r.testAccuracy()) ? r.testAccuracy() : null);
        v.put("test_images", o.testImages());
        v.put("final_loss", Double.isFinite(r.finalLoss()) ? r.finalLoss() : null);
        v.put("train_seconds", r.trainSeconds());
        v.put("wall_seconds", o.wallSeconds());
        v.put("data_parallel", o.dataParallel());
        v.put("workers", o.workers());
        v.put("training_master", o.trainingMaster());
        v.put("status", r.status().id());
        v.put("error", r.error());
        v.put("sparksweep_version", RuntimeVersions.sparksweep());
        v.put("dl4j_version", RuntimeVersions.dl4j());
        v.put("spark_version", sparkVersion);
        v.put("host", host());
        v.put("master", o.master());
        v.put("finished_at", Timestamp.from(Instant.now()));
        return LeaderboardRows.byName(LeaderboardSchema.MODELS, v);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
