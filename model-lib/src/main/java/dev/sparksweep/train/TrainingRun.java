package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.model.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * One trial's training in progress: the network, everything else that decides what the next iterations do (the
 * mini-batch order and its shuffle generator, the open loss window, the divergence watch; ND4J's generator for
 * dropout masks lives in the thread) and what the trial has measured so far. It starts fresh or from a
 * {@link TrainingState}, advances to an iteration, and saves itself as a {@link TrainingState}: a run advanced to r1,
 * saved, restored and advanced to r2 does what one run advanced to r2 does.
 *
 * <p>Kept outside the trainer's {@code try} so that a trial stopped part-way (time limit, divergence) still reports
 * what it measured.
 */
final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private final ModelSpec model;
    private final TrainingConfig config;
    private final DatasetSplits data;
    private final MultiLayerNetwork network;
    private final DivergenceWatch divergence;
    private final boolean regularized;
    private final int[] order;
    private final Random shuffle;
    private int position;
    private double windowLoss;
    private int windowSize;

    private final List<CurvePoint> curve;
    private double best = Double.NaN;
    private int bestIteration;
    private double lastValidation = Double.NaN;
    /** Test accuracy at the last evaluation point when the trial records a test curve; NaN otherwise. */
    private double lastTest = Double.NaN;
    private double loss = Double.NaN;
    private long trainNanos;
    /** Wall time of the segments before this one. */
    private final long earlierWallNanos;
    /** When this segment's training began: after its network was built or read from the checkpoint. */
    private final long segmentStartNanos = System.nanoTime();
    private int done;

    private TrainingRun(ModelSpec model, TrainingConfig config, DatasetSplits data, MultiLayerNetwork network,
                        DivergenceWatch divergence, int[] order, Random shuffle, int position, List<CurvePoint> curve,
                        long earlierWallNanos) {
        this.model = model;
        this.config = config;
        this.data = data;
        this.network = network;
        this.divergence = divergence;
        this.regularized = config.optimization().weightDecay() > 0;
        this.order = order;
        this.shuffle = shuffle;
        this.position = position;
        this.curve = curve;
        this.earlierWallNanos = earlierWallNanos;
    }

    /**
     * A trial at iteration 0: a freshly initialised network (which also seeds this thread's ND4J generator from the
     * trial's seed, so dropout masks repeat) and the first epoch's shuffle.
     */
    static TrainingRun start(ModelSpec model, TrainingConfig config, DatasetSplits data, StopRules stopRules) {
        Images train = data.train();
        if (train.count() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        MultiLayerNetwork network = RecurrentTrainer.network(model, config);
        Random shuffle = new Random(config.seed());
        int[] order = Batches.identity(train.count());
        Batches.shuffle(order, shuffle);
        return new TrainingRun(model, config, data, network, new DivergenceWatch(stopRules), order, shuffle, 0,
                new ArrayList<>(), 0);
    }

    /**
     * The trial of {@code checkpoint} continuing under {@code stopRules}; the caller has checked that the checkpoint
     * belongs to this model, config and data ({@link TrainingState#mismatch}), so only {@code config}'s speed
     * settings (threads, evaluation batch size) may differ from the saved ones, and they are the ones used. Puts this
     * thread's ND4J generator where it was when the checkpoint was saved, so the next dropout masks are those the
     * trial would have drawn next.
     */
    static TrainingRun resume(Checkpoint checkpoint, TrainingConfig config, DatasetSplits data,
                              StopRules stopRules) {
        TrainingState s = checkpoint.state();
        TrainingRun run = new TrainingRun(s.model(), config, data, checkpoint.network(),
                new DivergenceWatch(stopRules, s.startingLoss(), s.windowsAbove()), s.order(), s.shuffle(),
                s.position(), new ArrayList<>(s.curve()), s.wallNanos());
        run.windowLoss = s.windowLossSum();
        run.windowSize = s.windowSize();
        run.best = s.bestValidationAccuracy();
        run.bestIteration = s.bestIteration();
        run.lastValidation = s.lastValidationAccuracy();
        run.loss = s.lastLoss();
        run.trainNanos = s.trainNanos();
        run.done = s.iteration();
        Nd4j.getRandom().setStates(s.nd4jRootState(), s.nd4jNodeState());
        return run;
    }

    /**
     * Trains iterations {@code done + 1 .. untilIteration}, validating every {@code evalEvery} iterations and at
     * {@code untilIteration}.
     *
     * @return why the trial diverged, or empty when it reached {@code untilIteration}
     * @throws Deadline.Exceeded past the deadline
     */
    Optional<String> advance(int untilIteration, Deadline deadline, IterationListener listener) {
        return advance(untilIteration, deadline, listener, iteration -> { });
    }

    /**
     * As {@link #advance(int, Deadline, IterationListener)}, telling {@code evaluated} after each evaluation point
     * before {@code untilIteration} (where the trial may be saved and continued exactly).
     */
    Optional<String> advance(int untilIteration, Deadline deadline, IterationListener listener,
                             IntConsumer evaluated) {
        Images train = data.train();
        for (int iteration = done + 1; iteration <= untilIteration; iteration++) {
            deadline.check();
            if (position >= train.count()) {
                Batches.shuffle(order, shuffle);
                position = 0;
            }
            int end = Math.min(position + config.batchSize(), train.count());
            INDArray features = Batches.features(train, order, position, end, config.augmentation(), config.seed(),
                    iteration);
            INDArray labels = Batches.oneHotLabels(train, order, position, end);
            position = end;

            long t0 = System.nanoTime();
            // DL4J's score adds the weight-decay penalty of the weights it was computed on, those before this fit:
            // taken off, the loss is the cross-entropy alone, comparable across weight decays (and to PyTorch's).
            double penalty = regularized ? network.calcRegularizationScore(true) : 0.0;
            network.fit(features, labels);
            loss = network.score() - penalty;
            trainNanos += System.nanoTime() - t0;
            done = iteration;
            listener.iterationDone(iteration, config.iterations());
            if (!Double.isFinite(loss)) {
                curve.add(new CurvePoint(iteration, loss, Double.NaN));
                return Optional.of("loss became " + loss + " at iteration " + iteration);
            }
            if (iteration == 1) {
                divergence.start(loss);
            }
            windowLoss += loss;
            windowSize++;
            // A segment's end is an evaluation point too: it is where the trial is ranked and continued from.
            if (iteration % config.evalEvery() == 0 || iteration == untilIteration) {
                Optional<String> diverged = evaluate(iteration, deadline);
                if (diverged.isPresent()) {
                    return diverged;
                }
                if (iteration < untilIteration) {
                    evaluated.accept(iteration);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> evaluate(int iteration, Deadline deadline) {
        lastValidation = data.validation().count() == 0 ? Double.NaN
                : RecurrentTrainer.accuracy(network, data.validation(), config.evalBatchSize(), deadline);
        if (!Double.isNaN(lastValidation) && (Double.isNaN(best) || lastValidation > best)) {
            best = lastValidation;
            bestIteration = iteration;
        }
        lastTest = config.testCurve() && data.test().count() > 0
                ? RecurrentTrainer.accuracy(network, data.test(), config.evalBatchSize(), deadline) : Double.NaN;
        double windowMean = windowLoss / windowSize;
        curve.add(new CurvePoint(iteration, windowMean, lastValidation, lastTest));
        LOG.info("{} iteration {}/{}: loss {} validation accuracy {}", model.describe(), iteration,
                config.iterations(), String.format("%.4f", windowMean), String.format("%.4f", lastValidation));
        windowLoss = 0;
        windowSize = 0;
        // Checked after the point is recorded, so the curve shows the windows that stopped the trial.
        return divergence.windowDone(iteration, windowMean);
    }

    /**
     * Accuracy of the model as it is now on the test split; taken from the last evaluation point when that measured
     * it (a test curve), since advance always ends on one.
     */
    double testAccuracy(Deadline deadline) {
        return data.test().count() == 0 ? Double.NaN
                : !Double.isNaN(lastTest) ? lastTest
                : RecurrentTrainer.accuracy(network, data.test(), config.evalBatchSize(), deadline);
    }

    /** Iterations done so far, over all segments. */
    int done() {
        return done;
    }

    MultiLayerNetwork network() {
        return network;
    }

    /** Wall time of the trial so far: earlier segments plus this one, which started at {@code segmentStartNanos}. */
    long wallNanos(long segmentStartNanos) {
        return earlierWallNanos + (System.nanoTime() - segmentStartNanos);
    }

    TrialResult result(TrialStatus status, String error, double testAccuracy, long wallNanos) {
        return new TrialResult(status, error, best, bestIteration, lastValidation, testAccuracy, loss, curve, done,
                wallNanos / 1e9, trainNanos / 1e9, trainNanos == 0 ? 0 : done / (trainNanos / 1e9),
                network.numParams(), (System.nanoTime() - segmentStartNanos) / 1e9);
    }

    /** This run as it stands, to be continued later; ND4J's generator is read from the current thread. */
    TrainingState save(long wallNanos) {
        return new TrainingState(model, config, DataIdentity.of(data), done, order, position, shuffle,
                Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState(), windowLoss, windowSize,
                divergence.startingLoss(), divergence.windowsAbove(), curve, best, bestIteration, lastValidation, loss,
                trainNanos, wallNanos, network.numParams());
    }
}
