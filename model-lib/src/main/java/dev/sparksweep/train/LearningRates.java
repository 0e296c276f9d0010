package dev.sparksweep.train;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Optional;

/**
 * The DL4J learning-rate schedule of a trial. DL4J's updaters ask a schedule for the rate at the network's iteration
 * count, which counts {@code fit} calls from 0; the trainer calls {@code fit} once per mini-batch, so {@code t} in
 * {@link LrScheduleKind}'s formulas is the number of iterations already done.
 */
public final class LearningRates {

    private LearningRates() {
    }

    /**
     * The schedule for {@code learningRate} over a budget of {@code iterations}, or empty for a constant rate without
     * warm-up: the updater then takes the plain rate, exactly as before schedules existed.
     */
    public static Optional<ISchedule> schedule(double learningRate, Optimization optimization, int iterations) {
        int warmup = optimization.warmupIterations();
        ISchedule base = switch (optimization.schedule()) {
            case CONSTANT -> warmup > 0 ? new FixedSchedule(learningRate) : null;
            case COSINE -> new CosineSchedule(learningRate, iterations);
            case STEP -> new StepSchedule(ScheduleType.ITERATION, learningRate, optimization.stepGamma(),
                    optimization.stepEvery());
        };
        if (base == null) {
            return Optional.empty();
        }
        return Optional.of(warmup > 0 ? new WarmupSchedule(base, warmup) : base);
    }
}
