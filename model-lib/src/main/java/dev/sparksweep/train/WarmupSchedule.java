package dev.sparksweep.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A linear warm-up in front of any schedule: {@code base(t) * (t + 1) / iterations} for {@code t < iterations}, then
 * {@code base(t)}; so the first iteration runs at 1/iterations of the scheduled value and iteration
 * {@code iterations - 1} at all of it. The same values as DL4J's {@code RampSchedule}, which cannot serve: DL4J
 * 1.0.0-M2.1 writes it to a network's JSON but cannot read it back (it has no Jackson creator), so a saved network
 * would not load. This one reads back through its annotated constructor.
 */
public final class WarmupSchedule implements ISchedule {

    private final ISchedule baseSchedule;
    private final int iterations;

    /**
     * @param baseSchedule the schedule to warm up into
     * @param iterations   length of the ramp; at least 1 (1: no visible warm-up)
     */
    @JsonCreator
    public WarmupSchedule(@JsonProperty("baseSchedule") ISchedule baseSchedule,
                          @JsonProperty("iterations") int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("a warm-up needs at least 1 iteration, got " + iterations);
        }
        this.baseSchedule = Objects.requireNonNull(baseSchedule, "base schedule");
        this.iterations = iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double base = baseSchedule.valueAt(iteration, epoch);
        return iteration + 1 >= iterations ? base : base * (iteration + 1) / iterations;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(baseSchedule.clone(), iterations);
    }

    public ISchedule getBaseSchedule() {
        return baseSchedule;
    }

    public int getIterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WarmupSchedule w && w.iterations == iterations && w.baseSchedule.equals(baseSchedule);
    }

    @Override
    public int hashCode() {
        return 31 * baseSchedule.hashCode() + iterations;
    }

    @Override
    public String toString() {
        return "WarmupSchedule(baseSchedule=" + baseSchedule + ", iterations=" + iterations + ")";
    }
}
