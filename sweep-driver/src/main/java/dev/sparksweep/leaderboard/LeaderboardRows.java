package dev.sparksweep.leaderboard;

import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link TrialOutcome} into rows of the {@link LeaderboardSchema} tables. */
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
        return RowFactory.create(
                sweep, trial.id(), m.describe(), m.family().id(), m.layers(), m.hidden(),
                m.activation() == null ? null : m.activation().id(), m.extraFc(), m.bidirectional(),
                t.learningRate(), t.batchSize(), t.iterations(), t.seed(),
                trial.data().dataset().id(), trial.data().validationSize(), trial.data().trainLimit(),
                trial.data().testLimit(), t.evalEvery(), t.threads(),
                r.status().id(), r.error(), orNull(r.bestValidationAccuracy()), r.bestIteration(),
                orNull(r.finalValidationAccuracy()), orNull(r.testAccuracy()), orNull(r.finalLoss()),
                r.parameterCount(), r.iterationsDone(), r.wallSeconds(), r.trainSeconds(), r.iterationsPerSecond(),
                p.sparksweepVersion(), p.dl4jVersion(), p.nd4jVersion(), p.sparkVersion(), p.backend(),
                trial.datasetChecksum(), p.host(), p.executorId(), p.taskAttempt(),
                Timestamp.from(p.startedAt()), Timestamp.from(p.finishedAt()), trial.canonical(),
                p.device().gpuAddress(), p.device().device(), megabytes(p.memory().heapUsedBytes()),
                megabytes(p.memory().processBytes()), p.timeLimitSeconds() > 0 ? p.timeLimitSeconds() : null, appendId);
    }

    public static List<Row> curveRows(String sweep, TrialOutcome outcome, String appendId) {
        List<Row> rows = new ArrayList<>();
        for (CurvePoint point : outcome.result().curve()) {
            rows.add(RowFactory.create(sweep, outcome.trial().id(), point.iteration(), orNull(point.loss()),
                    orNull(point.validationAccuracy()), orNull(point.testAccuracy()), appendId));
        }
        return rows;
    }

    private static Double megabytes(long bytes) {
        return bytes < 0 ? null : bytes / (1024.0 * 1024.0);
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
