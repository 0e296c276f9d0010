package dev.sparksweep.schedule;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DataSource;
import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.device.DeviceAssignment;
import dev.sparksweep.device.DeviceBinding;
import dev.sparksweep.leaderboard.Provenance;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.Checkpoint;
import dev.sparksweep.train.CheckpointException;
import dev.sparksweep.train.IterationListener;
import dev.sparksweep.train.NetworkSink;
import dev.sparksweep.train.ProgressCheckpoints;
import dev.sparksweep.train.MemoryUsage;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Runs on an executor: binds the GPU Spark assigned the task (if any), gets the dataset (fetched if missing, loaded
 * once per JVM) and trains one trial. Whatever happens inside the trial becomes its outcome; only the loss of the
 * executor itself makes Spark retry the task. After the trial the JVM's garbage (and with it ND4J's native buffers)
 * is collected, and the memory left in use is recorded.
 */
public final class TrialTask implements Function<Trial, TrialOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(TrialTask.class);

    private final TrialContext context;
    /** Counts the trial's iterations as it trains; executors report it with their heartbeats (progress, ETA). */
    private final LongAccumulator iterations;
    /** The iterations it did not train because it continued from its progress checkpoint (true progress, ETA). */
    private final LongAccumulator resumed;

    /** What to train of the trial: where it starts and ends, and where its checkpoints are. */
    private final Work work;

    public TrialTask(TrialContext context, LongAccumulator iterations, LongAccumulator resumed, Work work) {
        this.context = context;
        this.iterations = iterations;
        this.resumed = resumed;
        this.work = work;
    }

    @Override
    public TrialOutcome call(Trial trial) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        TrialResult result;
        DeviceAssignment device = new DeviceAssignment(null, "unknown");
        List<String> gpus = assignedGpus();
        boolean backendStarted = true;
        ModelSaver saver = null;
        int[] resumedAt = {0};
        try {
            device = new DeviceBinding(context.nvidiaSmi()).bind(gpus);
            DatasetSplits data = load(trial);
            if (!data.checksum().equals(trial.datasetChecksum())) {
                result = TrialResult.failed("dataset " + trial.data().dataset().id() + " on this executor has checksum "
                        + data.checksum() + ", the trial expects " + trial.datasetChecksum(), seconds(t0));
            } else {
                LOG.info("trial {} ({}) starting on {}", trial.id(), trial.describe(), device.device());
                if (work.checkpointTo() != null) {
                    Files.createDirectories(Path.of(work.checkpointTo()).getParent());
                }
                LongAccumulator counter = iterations;
                IterationListener progress = counter == null ? IterationListener.NONE : (i, budget) -> counter.add(1);
                saver = context.modelsDir() == null ? null
                        : new ModelSaver(trial, context.sweepName(), data, Path.of(context.modelsDir()));
                result = train(trial, data, progress, saver == null ? NetworkSink.NONE : saver, resumedAt);
            }
        } catch (RuntimeException | LinkageError | java.io.IOException e) {
            // Missing or corrupt data, an unusable GPU, an ND4J backend that cannot load its native libraries: this
            // trial's failure, with the reason, not a task for Spark to retry on the same executor.
            result = TrialResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), seconds(t0));
            if (device.gpuAddress() == null && !gpus.isEmpty()) {
                device = new DeviceAssignment(gpus.get(0), "unusable");
            }
            // A refused GPU is refused before CUDA starts on it; describing the backend must not start it either.
            backendStarted = !(e instanceof DeviceBinding.UnsupportedGpuException || e instanceof LinkageError);
        }
        MemoryUsage memory = MemoryUsage.afterCollection();
        LOG.info("trial {} finished: {} (heap {} MiB, process {} MiB)", trial.id(), result.status().id(),
                memory.heapUsedBytes() >> 20, memory.processBytes() >> 20);
        String backend = backendStarted ? RuntimeVersions.backend() : "not started";
        TrialOutcome outcome = new TrialOutcome(trial, result, provenance(started, device, memory, backend),
                saver == null ? null : saver.saved());
        return resumedAt[0] > 0 ? outcome.resumed(resumedAt[0]) : outcome;
    }

    /**
     * Trains the work. A trial (or an ASHA segment of it) saves its progress as it goes when the sweep asks for it,
     * continues from its progress checkpoint when an earlier run left one within this work's iterations (setting
     * {@code resumedAt[0]} to its iteration). Its configuration is written beside it ({@link InterruptedTrials}); the
     * driver deletes both once it has committed the result (kept when the trial failed: the retry continues from it).
     */
    private TrialResult train(Trial trial, DatasetSplits data, IterationListener listener, NetworkSink sink,
                              int[] resumedAt) {
        RecurrentTrainer trainer = new RecurrentTrainer();
        Path progressFile = context.progressFile(trial.id());
        ProgressCheckpoints progress = progressFile == null ? null
                : new ProgressCheckpoints(progressFile, Duration.ofMillis(context.progressEveryMillis()));
        Path checkpointTo = work.checkpointTo() == null ? null : Path.of(work.checkpointTo());
        TrialResult result = null;
        if (progressFile != null) {
            InterruptedTrials.mark(progressFile, trial);
        }
        if (progressFile != null && Files.isRegularFile(progressFile)) {
            long skipped = 0;
            try {
                int at = Checkpoint.iterationOf(progressFile);
                if (at > work.fromIteration() && at < work.untilIteration()) {
                    LOG.info("trial {} continues from its progress checkpoint at iteration {}", trial.id(), at);
                    skipped = at - work.fromIteration();
                    countResumed(skipped);
                    result = trainer.trainSegment(trial.model(), trial.training(), data, context.stopRules(),
                            listener, progressFile, work.untilIteration(), checkpointTo, sink, progress);
                    resumedAt[0] = at;
                } else {
                    // Not within this work (a segment's, left behind): what it holds is already recorded.
                    deleteQuietly(progressFile);
                }
            } catch (CheckpointException e) {
                if (!e.file().equals(progressFile)) {
                    throw e;
                }
                countResumed(-skipped); // it trains those iterations after all
                LOG.warn("trial {}: its progress checkpoint cannot be continued, so it trains from {}: {}", trial.id(),
                        work.resumeFrom() == null ? "scratch" : work.resumeFrom(), e.getMessage());
            }
        }
        if (result == null) {
            result = trainer.trainSegment(trial.model(), trial.training(), data, context.stopRules(), listener,
                    work.resumeFrom() == null ? null : Path.of(work.resumeFrom()), work.untilIteration(),
                    checkpointTo, sink, progress);
        }
        // The progress checkpoint stays until the driver has committed the result (InterruptedTrials.ended).
        return result;
    }

    private void countResumed(long skipped) {
        if (resumed != null && skipped != 0) {
            resumed.add(skipped);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }

    /** Addresses of the {@code gpu} resource Spark assigned this task; empty when it holds none. */
    private static List<String> assignedGpus() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return List.of();
        }
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        return gpu == null ? List.of() : List.of(gpu.addresses());
    }

    private DatasetSplits load(Trial trial) {
        Path dir = Path.of(context.dataDir());
        DataFetcher.ensure(trial.data().dataset(), dir,
                context.dataSources().stream().map(DataSource::parse).toList(), LOG::info);
        return DatasetCache.get(trial.data().dataset(), dir, trial.data().splitSpec());
    }

    private Provenance provenance(Instant started, DeviceAssignment device, MemoryUsage memory, String backend) {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        return new Provenance(RuntimeVersions.sparksweep(), RuntimeVersions.dl4j(), RuntimeVersions.nd4j(),
                context.sparkVersion(), backend, hostName(),
                env == null ? "unknown" : env.executorId(), task == null ? 0 : task.attemptNumber(), started,
                Instant.now(), device, memory, context.timeLimitSeconds());
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
