package dev.sparksweep.leaderboard;

import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

/**
 * The typed schemas of the two tables. {@code append_id} ties a trial's curve to its leaderboard row: a driver killed
 * between writing the two leaves a curve without a row, which the {@code curves} view then leaves out. Unmeasured metrics are NULL rather than NaN, because Spark SQL sorts NaN above
 * every number and a NaN accuracy would top the leaderboard.
 */
public final class LeaderboardSchema {

    public static final StructType LEADERBOARD = withParameters(new StructField[]{
            field("sweep", StringType, false),
            field("trial_id", StringType, false),
            field("config_id", StringType, true),
            field("model", StringType, false),
    }, new StructField[]{
            field("dataset", StringType, false),
            field("validation_size", IntegerType, false),
            field("train_limit", IntegerType, false),
            field("test_limit", IntegerType, false),
            field("eval_every", IntegerType, false),
            field("threads", IntegerType, false),
            field("status", StringType, false),
            field("error", StringType, true),
            field("best_val_accuracy", DoubleType, true),
            field("best_iteration", IntegerType, false),
            field("final_val_accuracy", DoubleType, true),
            field("test_accuracy", DoubleType, true),
            field("final_loss", DoubleType, true),
            field("param_count", LongType, false),
            field("iterations_done", IntegerType, false),
            field("wall_seconds", DoubleType, false),
            field("train_seconds", DoubleType, false),
            field("iterations_per_second", DoubleType, false),
            field("sparksweep_version", StringType, false),
            field("dl4j_version", StringType, false),
            field("nd4j_version", StringType, false),
            field("spark_version", StringType, false),
            field("backend", StringType, false),
            field("dataset_checksum", StringType, false),
            field("host", StringType, false),
            field("executor_id", StringType, false),
            field("task_attempt", IntegerType, false),
            field("started_at", TimestampType, false),
            field("finished_at", TimestampType, false),
            field("trial_config", StringType, false),
            field("gpu_address", StringType, true),
            field("device", StringType, true),
            field("executor_heap_mb", DoubleType, true),
            field("executor_process_mb", DoubleType, true),
            field("time_limit_seconds", LongType, true),
            field("append_id", StringType, true),
            field("java_version", StringType, true),
            field("jvm_vendor", StringType, true),
            // Where the trial's trained network was saved (sweep.train.save-models); null when it was not kept.
            field("model_path", StringType, true),
            // A trial that continued the final checkpoint of a shorter budget of its configuration: that trial, and
            // its budget (where this one started). Its curve and times include the shorter trial's, as if trained
            // straight through; own_wall_seconds is what it cost itself (compute totals sum that). Null in rows
            // from before these columns (own_wall_seconds is then wall_seconds).
            field("continued_from", StringType, true),
            field("continued_at", IntegerType, true),
            field("own_wall_seconds", DoubleType, true),
            // The iteration of its own progress checkpoint (sweep.train.checkpoint-every) a trial continued from
            // after an interruption; null when it trained in one go.
            field("resumed_at", IntegerType, true),
    });

    /** One row per ASHA rung a trial reached: its measurements there and the scheduler's decision. */
    public static final StructType RUNGS = new StructType(new StructField[]{
            field("sweep", StringType, false),
            field("trial_id", StringType, false),
            field("config_id", StringType, true),
            field("rung", IntegerType, false),
            field("iterations", IntegerType, false),
            field("validation_accuracy", DoubleType, true),
            field("test_accuracy", DoubleType, true),
            field("final_loss", DoubleType, true),
            field("train_seconds", DoubleType, false),
            // This segment's own training and evaluation, and its Spark job as the driver timed it: the difference
            // is what running it as a segment cost (scheduling, data access, checkpoints). Null in rows from before.
            field("segment_seconds", DoubleType, true),
            field("job_seconds", DoubleType, true),
            field("status", StringType, false),
            field("decision", StringType, false),
            field("checkpoint", StringType, true),
            field("note", StringType, true),
            field("configuration", StringType, false),
            field("append_id", StringType, true),
            field("finished_at", TimestampType, false),
    });

    /** One row per refitted model ({@code sparksweep refit}): what it was refitted from, how, and what it scored. */
    public static final StructType MODELS = new StructType(new StructField[]{
            field("model_id", StringType, false),
            field("model_path", StringType, false),
            field("sweep", StringType, false),
            field("source_trial_id", StringType, true),
            field("config_id", StringType, false),
            field("model", StringType, false),
            field("configuration", StringType, false),
            field("dataset", StringType, false),
            field("dataset_checksum", StringType, false),
            field("train_images", IntegerType, false),
            field("iterations", IntegerType, false),
            field("batch_size", IntegerType, false),
            field("seed", LongType, false),
            field("test_accuracy", DoubleType, true),
            field("test_images", IntegerType, false),
            field("final_loss", DoubleType, true),
            field("train_seconds", DoubleType, false),
            field("wall_seconds", DoubleType, false),
            field("data_parallel", BooleanType, false),
            field("workers", IntegerType, false),
            field("training_master", StringType, true),
            field("status", StringType, false),
            field("error", StringType, true),
            field("sparksweep_version", StringType, false),
            field("dl4j_version", StringType, false),
            field("spark_version", StringType, false),
            field("host", StringType, false),
            field("master", StringType, false),
            field("finished_at", TimestampType, false),
    });

    /**
     * One row per trial a sweep counts but another sweep trained: a trial is trained once (its id does not depend on
     * the sweep), so a sweep whose space overlaps an earlier one skips the shared trials, and this records that they
     * are its trials too. {@code trained_by} is the sweep whose rows they are.
     */
    public static final StructType MEMBERS = new StructType(new StructField[]{
            field("sweep", StringType, false),
            field("trial_id", StringType, false),
            field("trained_by", StringType, false),
            field("added_at", TimestampType, false),
    });

    public static final StructType CURVES = new StructType(new StructField[]{
            field("sweep", StringType, false),
            field("trial_id", StringType, false),
            field("iteration", IntegerType, false),
            field("loss", DoubleType, true),
            field("validation_accuracy", DoubleType, true),
            field("test_accuracy", DoubleType, true),
            field("append_id", StringType, true),
    });

    private LeaderboardSchema() {
    }

    /**
     * The leaderboard's columns: identity, then one typed column per declared hyperparameter ({@link Params#ALL}),
     * then data, results and provenance. A parameter column is nullable: it holds no value where the parameter does
     * not apply (activation of an lstm), and files written before it was declared read as NULL.
     */
    private static StructType withParameters(StructField[] head, StructField[] tail) {
        List<StructField> fields = new ArrayList<>(List.of(head));
        for (Param p : Params.ALL) {
            fields.add(field(p.column(), p.kind().sparkType(), true));
        }
        fields.addAll(List.of(tail));
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** The schema of the results table {@code table} ({@link LeaderboardStore#TABLES}). */
    static StructType of(String table) {
        return switch (table) {
            case LeaderboardStore.LEADERBOARD -> LEADERBOARD;
            case LeaderboardStore.CURVES -> CURVES;
            case LeaderboardStore.RUNGS -> RUNGS;
            case LeaderboardStore.MODELS -> MODELS;
            case LeaderboardStore.MEMBERS -> MEMBERS;
            default -> throw new IllegalArgumentException("no results table " + table);
        };
    }
}
