package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.RnnActivation;
import dev.sparksweep.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training in segments through checkpoint files ends where training straight through ends, on real MNIST. The
 * training split (2000 images, batches of 50) makes an epoch 40 iterations, so segments end on an epoch boundary
 * (the reshuffle happens in the next segment) and inside an epoch. Each segment runs in a thread of its own, and one
 * test continues in another JVM.
 *
 * <p>"The same" means bit-equal parameters, curves and accuracies, in whichever JVM a segment runs and however much
 * of it ran before the JIT compiled the fused layers' kernels ({@link dev.sparksweep.model.ReproducibleVectorMath}
 * computes the same bits interpreted and compiled; with the vector API's own exp and tanh the parameters of a fresh
 * JVM's first trainings were 1e-7 to 1e-6 apart). A continuation that is not exact is far off: in the second segment
 * alone, other dropout masks move the final parameters by 5.6 %, another shuffle of the next epoch or a zeroed updater
 * state (Adam's moments) by 13 % (relative L2, measured).
 */
class SegmentedTrainingTest {

    /** Relative L2 distance of parameters allowed between a segmented and a straight run: none. */
    static final double PARAMETER_TOLERANCE = 0;
    /** Relative difference of a curve point's mean loss: none. */
    static final double LOSS_TOLERANCE = 0;
    /** Difference of an accuracy: none. */
    static final double ACCURACY_TOLERANCE = 0;

    private static DatasetSplits data;
    private final RecurrentTrainer trainer = new RecurrentTrainer();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        data = TestData.mnist(new SplitSpec(500, 2000, 500, true));
    }

    static TrainingConfig config(int budget, int evalEvery, Optimization optimization) {
        return new TrainingConfig(budget, 50, 5e-3, 11, evalEvery, 500, 1, false, optimization);
    }

    static Stream<ModelSpec> families() {
        return Stream.of(ModelSpec.rnn(2, RnnActivation.TANH).withHidden(16), ModelSpec.lstm(1).withHidden(24),
                ModelSpec.gru(2).withHidden(16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void twoSegmentsThroughACheckpointFileEndWhereStraightTrainingEnds(ModelSpec spec) {
        TrainingConfig config = config(80, 20, Optimization.DEFAULT);
        assertSegmentedEqualsStraight(spec, config, 40, 80);
    }

    @Test
    void aCosineScheduleWithWarmUpContinuesSeamlesslyOverThreeSegments() {
        // Budget 100, compared at 60: the schedule must keep spanning the budget, not the segments. The epoch
        // boundary (40) falls inside the second segment.
        Optimization cosine = Optimization.DEFAULT.withSchedule(LrScheduleKind.COSINE).withWarmupIterations(15)
                .withOptimizer(Optimizer.ADAMW).withWeightDecay(1e-2).withClipNorm(1.0);
        assertSegmentedEqualsStraight(ModelSpec.lstm(2).withHidden(16), config(100, 10, cosine), 20, 30, 60);
    }

    @Test
    void aLongerBudgetContinuesAShorterTrialsFinalCheckpointAsIfTrainedStraight() {
        // A step schedule with warm-up does not depend on the budget; dropout checks the generator carries over.
        ModelSpec spec = ModelSpec.gru(2).withHidden(16).withDropout(0.3);
        Optimization step = Optimization.DEFAULT.withSchedule(LrScheduleKind.STEP).withStepEvery(30)
                .withStepGamma(0.5).withWarmupIterations(10);
        TrainingConfig longer = config(80, 20, step);
        TrainingConfig shorter = longer.withIterations(40);
        Path straightFile = dir.resolve("straight80.zip");
        TrialResult straight = trainer.trainSegment(spec, longer, data, StopRules.DEFAULT, IterationListener.NONE,
                null, 80, straightFile);
        Path end40 = dir.resolve("budget40-end.zip");
        TrialResult first = inNewThread(() -> trainer.trainSegment(spec, shorter, data, StopRules.DEFAULT,
                IterationListener.NONE, null, 40, end40));
        assertEquals(TrialStatus.OK, first.status(), first.error());
        Path continuedFile = dir.resolve("continued80.zip");
        TrialResult continued = inNewThread(() -> trainer.trainSegment(spec, longer, data, StopRules.DEFAULT,
                IterationListener.NONE, end40, 80, continuedFile));
        assertEquals(TrialStatus.OK, continued.status(), continued.error());

        double distance = relativeDistance(params(straightFile), params(continuedFile));
        System.out.printf(Locale.ROOT, "%s budget 80 continuing budget 40: parameters differ from straight "
                + "training's by %.3g (relative L2)%n", spec.describe(), distance);
        assertTrue(distance <= PARAMETER_TOLERANCE, "relative parameter distance " + distance);
        assertCurvesAgree(straight.curve(), continued.curve());
        assertEquals(straight.bestValidationAccuracy(), continued.bestValidationAccuracy(), ACCURACY_TOLERANCE);
        assertEquals(straight.testAccuracy(), continued.testAccuracy(), ACCURACY_TOLERANCE);
        assertEquals(80, continued.iterationsDone());
        assertEquals(first.curve(), continued.curve().subList(0, first.curve().size()),
                "the shorter trial's points come along unchanged");
        assertTrue(continued.segmentSeconds() < continued.wallSeconds(), "the wall time includes the shorter "
                + "trial's: " + continued.segmentSeconds() + " s of " + continued.wallSeconds() + " s");
        assertEquals(80, Checkpoint.read(continuedFile).state().config().iterations(), "saved with its own budget");
    }

    @Test
    void shiftedImagesContinueAsTheyWouldHaveBeenDrawn() {
        // The shifts are drawn per iteration, not from a generator: a checkpoint has nothing to carry for them.
        TrainingConfig config = config(80, 20, Optimization.DEFAULT).withAugmentation(new Augmentation(2));
        assertSegmentedEqualsStraight(ModelSpec.gru(1).withHidden(16), config, 60, 80);
    }

    @Test
    void aTrialCutShortContinuesFromItsLastProgressCheckpointAsIfNeverInterrupted() {
        ModelSpec spec = ModelSpec.gru(2).withHidden(16).withDropout(0.3);
        TrainingConfig config = config(80, 20, Optimization.DEFAULT);
        Path progress = dir.resolve("progress.ckpt");
        Path straightFile = dir.resolve("straight.zip");
        TrialResult straight = trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE,
                null, 80, straightFile, NetworkSink.NONE, new ProgressCheckpoints(progress, Duration.ofNanos(1)));
        assertEquals(TrialStatus.OK, straight.status(), straight.error());
        assertEquals(60, Checkpoint.read(progress).iteration(), "saved at each evaluation point before the end");

        // As if the trial had been killed after iteration 60: a new thread continues from the progress file.
        Path resumedFile = dir.resolve("resumed.zip");
        TrialResult resumed = inNewThread(() -> trainer.trainSegment(spec, config, data, StopRules.DEFAULT,
                IterationListener.NONE, progress, 80, resumedFile));
        double distance = relativeDistance(params(straightFile), params(resumedFile));
        assertTrue(distance <= PARAMETER_TOLERANCE, "relative parameter distance " + distance);
        assertCurvesAgree(straight.curve(), resumed.curve());
        assertEquals(straight.bestValidationAccuracy(), resumed.bestValidationAccuracy(), ACCURACY_TOLERANCE);
        assertEquals(straight.testAccuracy(), resumed.testAccuracy(), ACCURACY_TOLERANCE);

        // A long interval saves nothing in a short trial.
        Path never = dir.resolve("never.ckpt");
        trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE, null, 40, null,
                NetworkSink.NONE, new ProgressCheckpoints(never, Duration.ofHours(1)));
        assertFalse(Files.exists(never));
    }

    @Test
    void dropoutMasksContinueAsTheyWouldHaveBeenDrawn() {
        ModelSpec spec = ModelSpec.gru(2).withHidden(16).withDropout(0.3);
        TrainingConfig config = config(80, 20, Optimization.DEFAULT);
        Path[] checkpoints = assertSegmentedEqualsStraight(spec, config, 40, 80);

        // The same continuation with ND4J's generator where a restart would put it (seeded afresh) draws other masks:
        // the tolerance above would notice a checkpoint that lost the generator's state.
        Checkpoint at40 = Checkpoint.read(checkpoints[1]);
        Nd4j.getRandom().setSeed(config.seed());
        TrainingState s = at40.state();
        TrainingState reseeded = new TrainingState(s.model(), s.config(), s.data(), s.iteration(), s.order(),
                s.position(), s.shuffle(), Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState(),
                s.windowLossSum(), s.windowSize(), s.startingLoss(), s.windowsAbove(), s.curve(),
                s.bestValidationAccuracy(), s.bestIteration(), s.lastValidationAccuracy(), s.lastLoss(),
                s.trainNanos(), s.wallNanos(), s.parameterCount());
        Path restarted = dir.resolve("reseeded-at40.zip");
        new Checkpoint(at40.network(), reseeded).write(restarted);
        trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE, restarted, 80,
                dir.resolve("reseeded-at80.zip"));
        double distance = relativeDistance(params(checkpoints[0]), params(dir.resolve("reseeded-at80.zip")));
        System.out.printf(Locale.ROOT, "dropout masks from a reseeded generator: parameters differ by %.3g%n",
                distance);
        assertTrue(distance > 0.01, "other masks, other parameters: " + distance);
    }

    @Test
    void theDivergenceWatchCountsWindowsAcrossSegments() {
        // Far too large a rate: the loss stays finite but far above its start, window after window.
        ModelSpec spec = ModelSpec.gru(1).withHidden(16);
        TrainingConfig config = new TrainingConfig(60, 50, 1.0, 11, 5, 500, 1);
        StopRules rules = new StopRules(Duration.ZERO, 2.0, 3);
        TrialResult straight = trainer.trainSegment(spec, config, data, rules, IterationListener.NONE, null, 60,
                null);
        assertEquals(TrialStatus.DIVERGED, straight.status(), "final loss " + straight.finalLoss());
        assertTrue(straight.error().contains("for 3 evaluations in a row"), straight.error());
        int diverged = straight.iterationsDone();

        // Cut after the second window above the limit: the first segment ends OK, the second stops at the third.
        Path cut = dir.resolve("cut.zip");
        TrialResult first = trainer.trainSegment(spec, config, data, rules, IterationListener.NONE, null,
                diverged - 5, cut);
        assertEquals(TrialStatus.OK, first.status(), first.error());
        assertEquals(2, Checkpoint.read(cut).state().windowsAbove());
        TrialResult second = trainer.trainSegment(spec, config, data, rules, IterationListener.NONE, cut, 60, null);
        assertEquals(TrialStatus.DIVERGED, second.status(), "final loss " + second.finalLoss());
        assertEquals(diverged, second.iterationsDone());
        assertTrue(second.error().contains("for 3 evaluations in a row"), second.error());
        assertEquals(straight.curve(), second.curve());
    }

    @Test
    void aSegmentContinuesInAnotherJvm() throws Exception {
        ModelSpec spec = ModelSpec.lstm(2).withHidden(16).withDropout(0.3);
        TrainingConfig config = config(80, 20, Optimization.DEFAULT.withSchedule(LrScheduleKind.COSINE)
                .withWarmupIterations(10));
        Path straight = dir.resolve("straight.zip");
        Path at40 = dir.resolve("at40.zip");
        Path at80 = dir.resolve("at80.zip");
        TrialResult whole = trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE,
                null, 80, straight);
        trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE, null, 40, at40);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ContinueInAnotherJvm.class.getName(),
                at40.toString(), "80", at80.toString(), "500", "2000", "500"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("other-jvm.log").toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the other JVM did not finish in 5 minutes");
        String log = Files.readString(dir.resolve("other-jvm.log"));
        assertEquals(0, process.exitValue(), log);

        double distance = relativeDistance(params(straight), params(at80));
        System.out.printf(Locale.ROOT, "%s cosine, second segment in another JVM: parameters differ from straight "
                + "training's by %.3g (relative L2)%n", spec.describe(), distance);
        assertTrue(distance <= PARAMETER_TOLERANCE, "relative parameter distance " + distance);
        TrainingState continued = Checkpoint.read(at80).state();
        assertCurvesAgree(whole.curve(), continued.curve());
        assertEquals(whole.finalValidationAccuracy(), continued.lastValidationAccuracy(), ACCURACY_TOLERANCE);
    }

    /**
     * Trains {@code spec} straight to the last of {@code ends} and in segments ending at each of {@code ends}, every
     * segment continuing from the previous one's checkpoint file, and checks both end alike.
     *
     * @return the straight run's checkpoint, then each segment's
     */
    private Path[] assertSegmentedEqualsStraight(ModelSpec spec, TrainingConfig config, int... ends) {
        int last = ends[ends.length - 1];
        Path[] files = new Path[ends.length + 1];
        files[0] = dir.resolve("straight.zip");
        TrialResult straight = trainer.trainSegment(spec, config, data, StopRules.DEFAULT, IterationListener.NONE,
                null, last, files[0]);
        assertEquals(TrialStatus.OK, straight.status(), straight.error());

        TrialResult segment = null;
        double trainSeconds = 0;
        for (int k = 0; k < ends.length; k++) {
            int i = k;
            files[i + 1] = dir.resolve("at" + ends[i] + ".zip");
            TrialResult previous = segment;
            Path from = i == 0 ? null : files[i];
            int end = ends[i];
            // Each segment in a thread of its own, as another executor would run it: a fresh ND4J generator and
            // workspaces, nothing carried over but the file.
            segment = inNewThread(() -> trainer.trainSegment(spec, config, data, StopRules.DEFAULT,
                    IterationListener.NONE, from, end, files[i + 1]));
            assertEquals(TrialStatus.OK, segment.status(), segment.error());
            assertEquals(ends[i], segment.iterationsDone());
            assertTrue(segment.trainSeconds() > trainSeconds, "training time accumulates over segments");
            trainSeconds = segment.trainSeconds();
            if (previous != null) {
                assertEquals(previous.curve(), segment.curve().subList(0, previous.curve().size()),
                        "the earlier segments' points come along unchanged");
            }
        }

        INDArray expected = params(files[0]);
        INDArray actual = params(files[ends.length]);
        double distance = relativeDistance(expected, actual);
        System.out.printf(Locale.ROOT, "%s %s segments %s: parameters differ from straight training's by %.3g "
                        + "(relative L2), at most %.3g in one parameter, in %d of %d%n", spec.describe(),
                config.optimization().schedule().id(), Arrays.toString(ends), distance,
                expected.sub(actual).amaxNumber().doubleValue(), differing(expected, actual), expected.length());
        assertTrue(distance <= PARAMETER_TOLERANCE, "relative parameter distance " + distance);
        assertCurvesAgree(straight.curve(), segment.curve());
        assertEquals(straight.iterationsDone(), segment.iterationsDone());
        assertEquals(straight.finalValidationAccuracy(), segment.finalValidationAccuracy(), ACCURACY_TOLERANCE);
        assertEquals(straight.testAccuracy(), segment.testAccuracy(), ACCURACY_TOLERANCE);
        assertEquals(straight.finalLoss(), segment.finalLoss(), LOSS_TOLERANCE * Math.abs(straight.finalLoss()));
        assertEquals(straight.parameterCount(), segment.parameterCount());

        // Everything but the network continues exactly: the same next batches, generators and window.
        TrainingState a = Checkpoint.read(files[0]).state();
        TrainingState b = Checkpoint.read(files[ends.length]).state();
        assertArrayEquals(a.order(), b.order());
        assertEquals(a.position(), b.position());
        assertEquals(a.shuffle().nextLong(), b.shuffle().nextLong());
        assertEquals(a.nd4jRootState(), b.nd4jRootState());
        assertEquals(a.nd4jNodeState(), b.nd4jNodeState());
        assertEquals(a.startingLoss(), b.startingLoss(), LOSS_TOLERANCE * a.startingLoss());
        assertEquals(a.windowsAbove(), b.windowsAbove());
        return files;
    }

    private static void assertCurvesAgree(List<CurvePoint> straight, List<CurvePoint> segmented) {
        assertEquals(straight.stream().map(CurvePoint::iteration).toList(),
                segmented.stream().map(CurvePoint::iteration).toList(), "validated at the same iterations");
        double worstLoss = 0;
        double worstAccuracy = 0;
        for (int i = 0; i < straight.size(); i++) {
            CurvePoint s = straight.get(i);
            CurvePoint g = segmented.get(i);
            worstLoss = Math.max(worstLoss, Math.abs(s.loss() - g.loss()) / Math.abs(s.loss()));
            worstAccuracy = Math.max(worstAccuracy, Math.abs(s.validationAccuracy() - g.validationAccuracy()));
        }
        System.out.printf(Locale.ROOT, "  curve: loss differs by %.3g (relative), validation accuracy by %.4f%n",
                worstLoss, worstAccuracy);
        assertTrue(worstLoss <= LOSS_TOLERANCE, "curve losses " + straight + " vs " + segmented);
        assertTrue(worstAccuracy <= ACCURACY_TOLERANCE, "validation accuracies " + straight + " vs " + segmented);
    }

    private static long differing(INDArray a, INDArray b) {
        float[] x = a.data().asFloat();
        float[] y = b.data().asFloat();
        return IntStream.range(0, x.length).filter(i -> Float.compare(x[i], y[i]) != 0).count();
    }

    private static <T> T inNewThread(Supplier<T> work) {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(work::get).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            thread.shutdown();
        }
    }

    static INDArray params(Path checkpoint) {
        return Checkpoint.read(checkpoint).network().params();
    }

    static double relativeDistance(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
    }
}
