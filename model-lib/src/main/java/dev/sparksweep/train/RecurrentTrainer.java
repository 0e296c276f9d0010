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
import java.util.Random;

/**
 * Trains a {@link ModelSpec} with DL4J for a fixed number of iterations, the way the reference notebook does:
 * mini-batches drawn from a fresh shuffle of the training split each epoch (seeded by the trial), Adam, and a
 * validation pass every {@code evalEvery} iterations. The test split is measured once, on the final model.
 */
public final class RecurrentTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(RecurrentTrainer.class);

    @Override
    public TrialResult train(ModelSpec model, TrainingConfig config, DatasetSplits data, Duration timeLimit) {
        long start = System.nanoTime();
        Deadline deadline = new Deadline(start, timeLimit);
        Progress progress = new Progress();
        try {
            useThreads(config.threads());
            MemoryEstimate.of(model, config.batchSize(), config.evalBatchSize())
                    .check(model, MemoryEstimate.availableBytes());
            return run(model, config, data, start, deadline, progress);
        } catch (TimeLimitExceeded e) {
            String why = "stopped by the time limit of " + timeLimit.toSeconds() + " s after " + progress.done
                    + " of " + config.iterations() + " iterations";
            LOG.warn("trial {} {}", model.describe(), why);
            return new TrialResult(TrialStatus.TIMED_OUT, why, progress.best, progress.bestIteration,
                    progress.lastValidation, Double.NaN, progress.loss, progress.curve, progress.done,
                    seconds(start), progress.trainNanos / 1e9, rate(progress.done, progress.trainNanos),
                    progress.parameters);
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
                            Deadline deadline, Progress p) {
        Images train = data.train();
        if (train.count() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        MultiLayerNetwork network = NetworkFactory.build(model, config.learningRate(), config.seed());
        p.parameters = network.numParams();
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
            network.fit(features, labels);
            p.loss = network.score();
            p.trainNanos += System.nanoTime() - t0;
            p.done = iteration;
            if (!Double.isFinite(p.loss)) {
                p.curve.add(new CurvePoint(iteration, p.loss, Double.NaN));
                String why = "loss became " + p.loss + " at iteration " + iteration + " (learning rate "
                        + config.learningRate() + ")";
                return new TrialResult(TrialStatus.DIVERGED, why, p.best, p.bestIteration, p.lastValidation,
                        Double.NaN, p.loss, p.curve, p.done, seconds(start), p.trainNanos / 1e9,
                        rate(p.done, p.trainNanos), p.parameters);
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
                p.curve.add(new CurvePoint(iteration, windowLoss / windowSize, p.lastValidation, lastTest));
                LOG.info("{} iteration {}/{}: loss {} validation accuracy {}", model.describe(), iteration,
                        config.iterations(), String.format("%.4f", windowLoss / windowSize),
                        String.format("%.4f", p.lastValidation));
                windowLoss = 0;
                windowSize = 0;
            }
        }
        // The last evaluation point is the final model: with a test curve its test accuracy is already known.
        double test = data.test().count() == 0 ? Double.NaN
                : !Double.isNaN(lastTest) ? lastTest
                : accuracy(network, data.test(), config.evalBatchSize(), deadline);
        return new TrialResult(TrialStatus.OK, null, p.best, p.bestIteration, p.lastValidation, test, p.loss,
                p.curve, p.done, seconds(start), p.trainNanos / 1e9, rate(p.done, p.trainNanos), p.parameters);
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
