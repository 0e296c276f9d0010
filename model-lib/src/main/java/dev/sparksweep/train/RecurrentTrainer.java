package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Trains a {@link ModelSpec} with DL4J for a fixed number of iterations, the way the reference notebook does:
 * mini-batches drawn from a fresh shuffle of the training split each epoch (seeded by the trial), the optimizer of its
 * {@link Optimization} (Adam by default), and a validation pass every {@code evalEvery} iterations. The test split is
 * measured once, on the final model. A trial stops early when its {@link StopRules} say so (time limit, divergence),
 * keeping what it measured.
 *
 * <p>A trial can also train in segments, each continuing from the {@link Checkpoint} the previous one wrote, as
 * successive halving (ASHA) does: {@link #trainSegment} to r1, rank, continue the promising ones to r2, ... Segments
 * end where training straight through to the same iteration would be, to float rounding (see {@link Checkpoint}).
 */
public final class RecurrentTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(RecurrentTrainer.class);

    @Override
    public TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                             IterationListener listener) {
        return trainSegment(model, config, data, stopRules, listener, null, config.iterations(), null);
    }

    /**
     * Trains a trial from {@code resumeFrom}'s iteration (0 without one) to {@code untilIteration}, validating every
     * {@code evalEvery} iterations and at {@code untilIteration}, then measures the test split and writes the
     * checkpoint. The trial's budget stays {@code config.iterations()}: learning-rate schedules span it whatever the
     * segments, and the result is the same as training straight to {@code untilIteration} when the segment ends are
     * multiples of {@code evalEvery} (another end adds a curve point that straight training would not have). Like
     * {@link #train}, what goes wrong in training is reported in the result, not thrown.
     *
     * @param stopRules      the time limit applies to this segment's wall time; the divergence rules continue across
     *                       segments (the starting loss and the windows above the limit are in the checkpoint)
     * @param listener       told after every iteration with the trial's iteration and budget
     * @param resumeFrom     a checkpoint of this trial (same model, settings but threads and evaluation batch size, and
     *                       data), or of the same training with a shorter budget where the learning-rate schedule
     *                       does not span the budget ({@link TrainingState#mismatch}); {@code null} to start from
     *                       scratch
     * @param untilIteration where this segment ends: after the checkpoint's iteration, at most the budget
     * @param checkpointTo   where to write the checkpoint at {@code untilIteration}, or {@code null} for none; written
     *                       only when the segment gets there (status OK). A file per segment end, rather than one
     *                       rewritten in place, lets a retried segment find the checkpoint it started from
     * @return the trial so far: OK at {@code untilIteration} (test accuracy of the model there, the whole curve,
     *         training and wall time summed over the segments; {@link TrialResult#finalValidationAccuracy()} is the
     *         accuracy to rank by), or DIVERGED, TIMED_OUT or FAILED as {@link #train} reports them
     * @throws IllegalArgumentException when {@code untilIteration} is outside 1..budget
     * @throws CheckpointException      when {@code resumeFrom} cannot be read, belongs to another trial or is not
     *                                  before {@code untilIteration}, or when {@code checkpointTo} cannot be written
     */
    public TrialResult trainSegment(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                                    IterationListener listener, Path resumeFrom, int untilIteration,
                                    Path checkpointTo) {
        return trainSegment(model, config, data, stopRules, listener, resumeFrom, untilIteration, checkpointTo,
                NetworkSink.NONE);
    }

    /**
     * As {@link #trainSegment(ModelSpec, TrainingConfig, DatasetSplits, StopRules, IterationListener, Path, int,
     * Path)}, handing the network to {@code sink} when the segment ends the trial's budget with status OK.
     */
    public TrialResult trainSegment(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                                    IterationListener listener, Path resumeFrom, int untilIteration,
                                    Path checkpointTo, NetworkSink sink) {
        return trainSegment(model, config, data, stopRules, listener, resumeFrom, untilIteration, checkpointTo, sink,
                null);
    }

    /**
     * As {@link #trainSegment(ModelSpec, TrainingConfig, DatasetSplits, StopRules, IterationListener, Path, int,
     * Path, NetworkSink)}, saving the trial's progress as {@code progress} says while it trains (null: never). A
     * progress checkpoint that cannot be written is logged and training goes on.
     */
    public TrialResult trainSegment(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                                    IterationListener listener, Path resumeFrom, int untilIteration,
                                    Path checkpointTo, NetworkSink sink, ProgressCheckpoints progress) {
        if (untilIteration < 1 || untilIteration > config.iterations()) {
            throw new IllegalArgumentException("a segment must end within the budget 1.." + config.iterations()
                    + ", got " + untilIteration);
        }
        long start = System.nanoTime();
        Deadline deadline = new Deadline(start, stopRules.timeLimit());
        TrainingRun run = null;
        try {
            useThreads(config.threads());
            MemoryEstimate.of(model, config.batchSize(), config.evalBatchSize())
                    .check(model, MemoryEstimate.availableBytes());
            run = resumeFrom == null ? TrainingRun.start(model, config, data, stopRules)
                    : TrainingRun.resume(continuable(resumeFrom, model, config, data, untilIteration), config, data,
                    stopRules);
            Optional<String> diverged = run.advance(untilIteration, deadline, listener,
                    progress == null ? iteration -> { } : saver(run, progress, start));
            if (diverged.isPresent()) {
                String reason = diverged.get() + " (learning rate " + config.learningRate() + ")";
                LOG.warn("trial {} diverged: {}", model.describe(), reason);
                return run.result(TrialStatus.DIVERGED, reason, Double.NaN, run.wallNanos(start));
            }
            double test = run.testAccuracy(deadline);
            long wallNanos = run.wallNanos(start);
            if (checkpointTo != null) {
                new Checkpoint(run.network(), run.save(wallNanos)).write(checkpointTo);
                LOG.info("trial {} checkpointed at iteration {} to {}", model.describe(), untilIteration,
                        checkpointTo);
            }
            TrialResult result = run.result(TrialStatus.OK, null, test, wallNanos);
            if (untilIteration == config.iterations()) {
                try {
                    sink.finished(run.network(), result);
                } catch (RuntimeException e) {
                    // Keeping the model failed, not the trial: its measurements stand.
                    LOG.warn("trial {}: its network could not be kept: {}", model.describe(), e.toString());
                }
            }
            return result;
        } catch (CheckpointException e) {
            // The caller's to handle (start over, give up): not a property of the trial.
            throw e;
        } catch (Deadline.Exceeded e) {
            int done = run == null ? 0 : run.done();
            String why = "stopped by the time limit of " + stopRules.timeLimit().toSeconds() + " s after " + done
                    + " of " + config.iterations() + " iterations";
            LOG.warn("trial {} {}", model.describe(), why);
            return run == null ? TrialResult.timedOut(why, seconds(start))
                    : run.result(TrialStatus.TIMED_OUT, why, Double.NaN, run.wallNanos(start));
        } catch (Throwable e) {
            // A trial must never take the sweep down with it: report what went wrong instead.
            LOG.warn("trial {} failed: {}", model.describe(), e.toString());
            return TrialResult.failed(describe(e), seconds(start));
        } finally {
            // Free this thread's workspaces so a long-lived executor does not accumulate native memory per trial.
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    /** Saves {@code run} to {@code progress.file()} at evaluation points, once {@code progress.every()} has passed. */
    private static IntConsumer saver(TrainingRun run, ProgressCheckpoints progress, long start) {
        long[] last = {System.nanoTime()};
        return iteration -> {
            if (System.nanoTime() - last[0] < progress.every().toNanos()) {
                return;
            }
            try {
                new Checkpoint(run.network(), run.save(run.wallNanos(start))).write(progress.file());
                LOG.info("trial progress saved at iteration {} to {}", iteration, progress.file());
            } catch (CheckpointException e) {
                LOG.warn("trial progress at iteration {} not saved: {}", iteration, e.getMessage());
            }
            last[0] = System.nanoTime();
        };
    }

    /** The checkpoint at {@code file}, once it is known to continue this trial before {@code untilIteration}. */
    private static Checkpoint continuable(Path file, ModelSpec model, TrainingConfig config, DatasetSplits data,
                                          int untilIteration) {
        Checkpoint checkpoint = Checkpoint.read(file);
        checkpoint.state().mismatch(model, config, DataIdentity.of(data)).ifPresent(why -> {
            throw new CheckpointException(file, "cannot continue this trial: " + why);
        });
        if (checkpoint.iteration() >= untilIteration) {
            throw new CheckpointException(file, "is at iteration " + checkpoint.iteration() + ", not before the "
                    + "segment's end " + untilIteration + ": nothing to train");
        }
        LOG.info("trial {} continues from iteration {} of {} to {}", model.describe(), checkpoint.iteration(), file,
                untilIteration);
        return checkpoint;
    }

    /**
     * The freshly initialised network a trial with these settings trains: the model's layers and dropout, and the
     * config's optimizer, learning-rate schedule over its budget, weight decay and clipping. One {@code fit} call per
     * iteration keeps DL4J's iteration count, which drives the schedule, equal to the iterations done.
     */
    public static MultiLayerNetwork network(ModelSpec model, TrainingConfig config) {
        return NetworkFactory.build(model, UpdateRules.of(config), config.seed());
    }

    /** Fraction of {@code images} the network classifies correctly. */
    public static double accuracy(MultiLayerNetwork network, Images images, int batchSize) {
        return accuracy(network, images, batchSize, Deadline.none());
    }

    static double accuracy(MultiLayerNetwork network, Images images, int batchSize, Deadline deadline) {
        int[] order = Batches.identity(images.count());
        long correct = 0;
        for (int from = 0; from < images.count(); from += batchSize) {
            deadline.check();
            int to = Math.min(from + batchSize, images.count());
            INDArray predicted = network.output(Batches.features(images, order, from, to), false).argMax(1);
            for (int i = 0; i < to - from; i++) {
                if (predicted.getInt(i) == images.label(from + i)) {
                    correct++;
                }
            }
        }
        return (double) correct / images.count();
    }

    /** Native threads for ND4J's own ops and for BLAS; they are per JVM, so trials sharing one must agree. */
    public static void useThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
