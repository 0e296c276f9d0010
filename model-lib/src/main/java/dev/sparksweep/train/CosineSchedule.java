package dev.sparksweep.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing over a fixed number of iterations, as PyTorch's {@code CosineAnnealingLR(T_max=iterations)}
 * stepped once per iteration: {@code initialValue * 0.5 * (1 + cos(pi * t / iterations))}, from the initial value at
 * iteration 0 down to 0 at {@code iterations}, and 0 after (PyTorch would climb again). DL4J 1.0.0-M2.1 has no cosine
 * schedule. A DL4J schedule is part of the network configuration: this one is immutable and written to and read from
 * DL4J's JSON through its getters and annotated constructor, so a saved network loads with its schedule.
 */
public final class CosineSchedule implements ISchedule {

    private final double initialValue;
    private final int iterations;

    /**
     * @param initialValue the value at iteration 0, e.g. the learning rate
     * @param iterations   the iteration at which the value reaches 0 (the trial's budget); at least 1
     */
    @JsonCreator
    public CosineSchedule(@JsonProperty("initialValue") double initialValue,
                          @JsonProperty("iterations") int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("a cosine schedule needs at least 1 iteration, got " + iterations);
        }
        this.initialValue = initialValue;
        this.iterations = iterations;
    }

    /** The value at DL4J's {@code iteration} (counted from 0); the epoch plays no part. */
    @Override
    public double valueAt(int iteration, int epoch) {
        int t = Math.min(Math.max(iteration, 0), iterations);
        return initialValue * 0.5 * (1 + Math.cos(Math.PI * t / iterations));
    }

    /** Itself: it never changes, so a clone can be shared. */
    @Override
    public ISchedule clone() {
        return this;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public int getIterations() {
        return iterations;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CosineSchedule c && Double.compare(c.initialValue, initialValue) == 0
                && c.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(initialValue) + iterations;
    }

    @Override
    public String toString() {
        return "CosineSchedule(initialValue=" + initialValue + ", iterations=" + iterations + ")";
    }
}
