package dev.sparksweep.schedule;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.leaderboard.Provenance;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Runs on an executor: gets the dataset (fetched if missing, loaded once per JVM) and trains one trial. Whatever
 * happens inside the trial becomes its outcome; only the loss of the executor itself makes Spark retry the task.
 */
public final class TrialTask implements Function<Trial, TrialOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(TrialTask.class);

    private final TrialContext context;

    public TrialTask(TrialContext context) {
        this.context = context;
    }

    @Override
    public TrialOutcome call(Trial trial) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        TrialResult result;
        try {
            DatasetSplits data = load(trial);
            if (!data.checksum().equals(trial.datasetChecksum())) {
                result = TrialResult.failed("dataset " + trial.data().dataset().id() + " on this executor has checksum "
                        + data.checksum() + ", the trial expects " + trial.datasetChecksum(), seconds(t0));
            } else {
                LOG.info("trial {} ({}) starting", trial.id(), trial.describe());
                result = new RecurrentTrainer().train(trial.model(), trial.training(), data);
            }
        } catch (RuntimeException e) {
            // Missing or corrupt data is this trial's failure, with the reason, not a retried task.
            result = TrialResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0));
        }
        LOG.info("trial {} finished: {}", trial.id(), result.status().id());
        return new TrialOutcome(trial, result, provenance(started));
    }

    private DatasetSplits load(Trial trial) {
        Path dir = Path.of(context.dataDir());
        DataFetcher.ensure(trial.data().dataset(), dir,
                context.dataSources().stream().map(DataSource::parse).toList(), LOG::info);
        return DatasetCache.get(trial.data().dataset(), dir, trial.data().splitSpec());
    }

    private Provenance provenance(Instant started) {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        return new Provenance(RuntimeVersions.sparksweep(), RuntimeVersions.dl4j(), RuntimeVersions.nd4j(),
                context.sparkVersion(), RuntimeVersions.backend(), hostName(),
                env == null ? "unknown" : env.executorId(), task == null ? 0 : task.attemptNumber(), started,
                Instant.now());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
