package dev.sparksweep.leaderboard;

import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link TrialOutcome} into rows of the {@link LeaderboardSchema} tables. Values are given by column name and
 * placed by the schema, so two columns of the same type cannot swap places unnoticed, and a column the schema has but
 * the row lacks (or the other way round) fails at once.
 */
public final class LeaderboardRows {

    private LeaderboardRows() {
    }

    /**
     * @param appendId the id shared by this row and its curve points
     */
    public static Row leaderboardRow(String sweep, TrialOutcome outcome, String appendId) {
        Trial trial = outcome.trial();
        ModelSpec m = trial.model();
        TrainingConfig t = trial.training();
        TrialResult r = outcome.result();
        Provenance p = outcome.provenance();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sweep", sweep);
        v.put("trial_id", trial.id());
        v.put("config_id", trial.configId());
        v.put("model", m.describe());
        Map<String, Object> configuration = trial.configuration();
        for (Param param : Params.ALL) {
            v.put(param.column(), configuration.get(param.key()));
        }
        v.put("dataset", trial.data().dataset().id());
        v.put("validation_size", trial.data().validationSize());
        v.put("train_limit", trial.data().trainLimit());
        v.put("test_limit", trial.data().testLimit());
        v.put("eval_every", t.evalEvery());
        v.put("threads", t.threads());
        v.put("status", r.status().id());
        v.put("error", r.error());
        v.put("best_val_accuracy", orNull(r.bestValidationAccuracy()));
        v.put("best_iteration", r.bestIteration());
        v.put("final_val_accuracy", orNull(r.finalValidationAccuracy()));
        v.put("test_accuracy", orNull(r.testAccuracy()));
        v.put("final_loss", orNull(r.finalLoss()));
        v.put("param_count", r.parameterCount());
        v.put("iterations_done", r.iterationsDone());
        v.put("wall_seconds", r.wallSeconds());
        v.put("train_seconds", r.trainSeconds());
        v.put("iterations_per_second", r.iterationsPerSecond());
        v.put("sparksweep_version", p.sparksweepVersion());
        v.put("dl4j_version", p.dl4jVersion());
        v.put("nd4j_version", p.nd4jVersion());
        v.put("spark_version", p.sparkVersion());
        v.put("backend", p.backend());
        v.put("dataset_checksum", trial.datasetChecksum());
        v.put("host", p.host());
        v.put("executor_id", p.executorId());
        v.put("task_attempt", p.taskAttempt());
        v.put("started_at", Timestamp.from(p.startedAt()));
        v.put("finished_at", Timestamp.from(p.finishedAt()));
        v.put("trial_config", trial.canonical());
        v.put("gpu_address", p.device().gpuAddress());
        v.put("device", p.device().device());
        v.put("executor_heap_mb", megabytes(p.memory().heapUsedBytes()));
        v.put("executor_process_mb", megabytes(p.memory().processBytes()));
        v.put("time_limit_seconds", p.timeLimitSeconds() > 0 ? p.timeLimitSeconds() : null);
        v.put("append_id", appendId);
        v.put("java_version", p.javaVersion());
        v.put("jvm_vendor", p.jvmVendor());
        v.put("model_path", outcome.modelPath());
        Lineage lineage = outcome.lineage();
        v.put("continued_from", lineage.continuedFrom());
        v.put("continued_at", lineage.continuedFrom() == null ? null : lineage.continuedAt());
        v.put("resumed_at", lineage.resumedAt() == 0 ? null : lineage.resumedAt());
        v.put("own_wall_seconds", orNull(outcome.ownWallSeconds())); // unknown when what it continued is
        return byName(LeaderboardSchema.LEADERBOARD, v);
    }

    public static List<Row> curveRows(String sweep, TrialOutcome outcome, String appendId) {
        List<Row> rows = new ArrayList<>();
        for (CurvePoint point : outcome.result().curve()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("sweep", sweep);
            v.put("trial_id", outcome.trial().id());
            v.put("iteration", point.iteration());
            v.put("loss", orNull(point.loss()));
            v.put("validation_accuracy", orNull(point.validationAccuracy()));
            v.put("test_accuracy", orNull(point.testAccuracy()));
            v.put("append_id", appendId);
            rows.add(byName(LeaderboardSchema.CURVES, v));
        }
        return rows;
    }

    /**
     * A leaderboard row's configuration: its parameter columns by sweep-file key, a parameter the row predates
     * taking its default.
     */
    public static Map<String, Object> configuration(Row row) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            Object v = row.getAs(p.column());
            if (v != null) {
                given.put(p.key(), v);
            }
        }
        return Params.completeRecorded(given);
    }

    /**
     * One parameter's value in a leaderboard row; in a row written before the parameter's column existed, the value
     * every trial had then (null where the parameter does not apply).
     */
    public static Object value(Row row, Param p) {
        Object v = row.getAs(p.column());
        return v != null ? v : configuration(row).get(p.key());
    }

    /** The rung record of an ASHA segment. */
    public static Row rungRow(String sweep, TrialOutcome outcome, SegmentRecord segment, String appendId) {
        TrialResult r = outcome.result();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sweep", sweep);
        v.put("trial_id", outcome.trial().id());
        v.put("config_id", outcome.trial().configId());
        v.put("rung", segment.rung());
        v.put("iterations", r.iterationsDone());
        v.put("validation_accuracy", orNull(r.finalValidationAccuracy()));
        v.put("test_accuracy", orNull(r.testAccuracy()));
        v.put("final_loss", orNull(r.finalLoss()));
        v.put("train_seconds", r.trainSeconds());
        v.put("segment_seconds", r.segmentSeconds());
        v.put("job_seconds", segment.jobSeconds());
        v.put("status", r.status().id());
        v.put("decision", segment.decision());
        v.put("checkpoint", segment.checkpoint());
        v.put("note", segment.note());
        v.put("configuration", Params.encode(outcome.trial().configuration()));
        v.put("append_id", appendId);
        v.put("finished_at", Timestamp.from(outcome.provenance().finishedAt()));
        return byName(LeaderboardSchema.RUNGS, v);
    }

    /** A row of {@code schema} from values by column name; every column exactly once. */
    public static Row byName(StructType schema, Map<String, Object> values) {
        Set<String> unknown = new HashSet<>(values.keySet());
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
            String name = schema.fields()[i].name();
            if (!values.containsKey(name)) {
                throw new IllegalStateException("no value for column " + name);
            }
            row[i] = values.get(name);
            unknown.remove(name);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("values for columns the schema does not have: " + unknown);
        }
        return RowFactory.create(row);
    }

    private static Double megabytes(long bytes) {
        return bytes < 0 ? null : bytes / (1024.0 * 1024.0);
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
