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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Trains a {@link ModelSpec} with DL4J for a fixed number of iterations, the way the reference notebook does:
 * mini-batches drawn from a fresh shuffle of the training split each epoch (seeded by the trial), the optimizer of its
 * {@link Optimization} (Adam by default), and a validation pass every {@code evalEvery} iterations. The test split is
 * measured once, on the final model. A trial stops early when its {@link StopRules} say so (time limit, divergence),
 * keeping what it measured.
 */
public final class RecurrentTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(RecurrentTrainer.class);

    @Override
    public TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules,
                             IterationListener listener) {
        long start = System.nanoTime();
        Deadline deadline = new Deadline(start, stopRules.timeLimit());
        Progress progress = new Progress();
        try {
            useThreads(config.threads());
            MemoryEstimate.of(model, config.batchSize(), config.evalBatchSize())
                    .check(model, MemoryEstimate.availableBytes());
            return run(model, config, data, start, deadline, new DivergenceWatch(stopRules), listener, progress);
        } catch (TimeLimitExceeded e) {
            String why = "stopped by the time limit of " + stopRules.timeLimit().toSeconds() + " s after "
                    + progress.done + " of " + config.iterations() + " iterations";
            LOG.warn("trial {} {}", model.describe(), why);
            return progress.result(TrialStatus.TIMED_OUT, why, Double.NaN, start);
        } catch (Throwable e) {
            // A trial must never take the sweep down with it: report what went wrong instead.
            LOG.warn("trial {} failed: {}", model.describe(), e.toString());
            return TrialResult.failed(describe(e), seconds(start));
        } finally {
            // Free this thread's workspaces so a long-lived executor does not accumulate native memory per trial.
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private TrialResult run(ModelSpec model, TrainingConfig config, DatasetSplits data, long start,
                            Deadline deadline, DivergenceWatch divergence, IterationListener listener, Progress p) {
        Images train = data.train();
        if (train.count() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        MultiLayerNetwork network = network(model, config);
        p.parameters = network.numParams();
        boolean regularized = config.optimization().weightDecay() > 0;
        Random random = new Random(config.seed());
        int[] order = Batches.identity(train.count());
        Batches.shuffle(order, random);
        int position = 0;

        double lastTest = Double.NaN;
        double windowLoss = 0;
        int windowSize = 0;
        for (int iteration = 1; iteration <= config.iterations(); iteration++) {
            deadline.check();
            if (position >= train.count()) {
                Batches.shuffle(order, random);
                position = 0;
            }
            int end = Math.min(position + config.batchSize(), train.count());
            INDArray features = Batches.features(train, order, position, end);
            INDArray labels = Batches.oneHotLabels(train, order, position, end);
            position = end;

            long t0 = System.nanoTime();
            // DL4J's score adds the weight-decay penalty of the weights it was computed on, those before this fit:
            // taken off, the loss is the cross-entropy alone, comparable across weight decays (and to PyTorch's).
            double penalty = regularized ? network.calcRegularizationScore(true) : 0.0;
            network.fit(features, labels);
            p.loss = network.score() - penalty;
            p.trainNanos += System.nanoTime() - t0;
            p.done = iteration;
            listener.iterationDone(iteration, config.iterations());
            if (!Double.isFinite(p.loss)) {
                p.curve.add(new CurvePoint(iteration, p.loss, Double.NaN));
                return diverged(model, config, p, "loss became " + p.loss + " at iteration " + iteration, start);
            }
            if (iteration == 1) {
                divergence.start(p.loss);
            }
            windowLoss += p.loss;
            windowSize++;
            if (iteration % config.evalEvery() == 0 || iteration == config.iterations()) {
                p.lastValidation = data.validation().count() == 0 ? Double.NaN
                        : accuracy(network, data.validation(), config.evalBatchSize(), deadline);
                if (!Double.isNaN(p.lastValidation) && (Double.isNaN(p.best) || p.lastValidation > p.best)) {
                    p.best = p.lastValidation;
                    p.bestIteration = iteration;
                }
                lastTest = config.testCurve() && data.test().count() > 0
                        ? accuracy(network, data.test(), config.evalBatchSize(), deadline) : Double.NaN;
                double windowMean = windowLoss / windowSize;
                p.curve.add(new CurvePoint(iteration, windowMean, p.lastValidation, lastTest));
                LOG.info("{} iteration {}/{}: loss {} validation accuracy {}", model.describe(), iteration,
                        config.iterations(), String.format("%.4f", windowMean),
                        String.format("%.4f", p.lastValidation));
                windowLoss = 0;
                windowSize = 0;
                // Checked after the point is recorded, so the curve shows the windows that stopped the trial.
                Optional<String> diverged = divergence.windowDone(iteration, windowMean);
                if (diverged.isPresent()) {
                    return diverged(model, config, p, diverged.get(), start);
                }
            }
        }
        // The last evaluation point is the final model: with a test curve its test accuracy is already known.
        double test = data.test().count() == 0 ? Double.NaN
                : !Double.isNaN(lastTest) ? lastTest
                : accuracy(network, data.test(), config.evalBatchSize(), deadline);
        return p.result(TrialStatus.OK, null, test, start);
    }

    private static TrialResult diverged(ModelSpec model, TrainingConfig config, Progress p, String why, long start) {
        String reason = why + " (learning rate " + config.learningRate() + ")";
        LOG.warn("trial {} diverged: {}", model.describe(), reason);
        return p.result(TrialStatus.DIVERGED, reason, Double.NaN, start);
    }

    /** What a trial has measured so far; kept outside {@code run} so that a stopped trial still reports it. */
    private static final class Progress {
        final List<CurvePoint> curve = new ArrayList<>();
        double best = Double.NaN;
        int bestIteration;
        double lastValidation = Double.NaN;
        double loss = Double.NaN;
        long trainNanos;
        int done;
        long parameters;

        TrialResult result(TrialStatus status, String error, double testAccuracy, long startNanos) {
            return new TrialResult(status, error, best, bestIteration, lastValidation, testAccuracy, loss, curve, done,
                    seconds(startNanos), trainNanos / 1e9, rate(done, trainNanos), parameters);
        }
    }

    /** The trial's time limit (none when zero), also honouring a Spark task kill (thread interrupt). */
    private record Deadline(long startNanos, Duration limit) {

        void check() {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("the trial's task was cancelled");
            }
            if (!limit.isZero() && System.nanoTime() - startNanos > limit.toNanos()) {
                throw new TimeLimitExceeded();
            }
        }
    }

    private static final class TimeLimitExceeded extends RuntimeException {
        TimeLimitExceeded() {
            super(null, null, false, false);
        }
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
        return accuracy(network, images, batchSize, new Deadline(System.nanoTime(), Duration.ZERO));
    }

    private static double accuracy(MultiLayerNetwork network, Images images, int batchSize, Deadline deadline) {
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

    private static double rate(int iterations, long nanos) {
        return nanos == 0 ? 0 : iterations / (nanos / 1e9);
    }
}
