package dev.sparksweep.train;

import dev.sparksweep.model.Family;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.model.NetworkFactory;
import org.bytedeco.javacpp.Pointer;

/**
 * A lower bound on the native memory one trial needs, checked before the network is built. ND4J allocates natively
 * and only notices an impossible size after the allocation was attempted (or after the operating system killed the
 * executor, which Spark would then retry as if it were a transient fault), so a model that cannot fit must be
 * refused up front, as a deterministic failure of that trial.
 *
 * @param bytes what the trial needs at least: parameters, gradients and Adam's two moments, plus the activations a
 *              training step keeps for its backward pass
 */
public record MemoryEstimate(long bytes, long parameters) {

    private static final long FLOAT_BYTES = Float.BYTES;

    public static MemoryEstimate of(ModelSpec model, int batchSize, int evalBatchSize) {
        long parameters = model.parameterCount();
        int gates = switch (model.family()) {
            case RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
        long directions = model.bidirectional() ? 2 : 1;
        // Per layer and direction a step keeps its gate pre-activations and its states for every time step.
        long perSequence = (long) model.layers() * directions * NetworkFactory.TIME_STEPS * model.hidden()
                * (gates + 2L);
        long activations = Math.max((long) batchSize, evalBatchSize / 2L) * perSequence;
        return new MemoryEstimate(FLOAT_BYTES * (4 * parameters + activations), parameters);
    }

    /**
     * Native memory this JVM may still use: JavaCPP's limit on the process size ({@code maxPhysicalBytes}, derived
     * from the heap size unless {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes} sets it) minus what the process uses
     * now; {@link Long#MAX_VALUE} where there is no limit.
     */
    public static long availableBytes() {
        long limit = Pointer.maxPhysicalBytes();
        return limit <= 0 ? Long.MAX_VALUE : Math.max(0, limit - Pointer.physicalBytes());
    }

    /** Throws, naming the model, the need and the limit, when this trial cannot fit in {@code available} bytes. */
    public void check(ModelSpec model, long available) {
        if (bytes > available) {
            throw new InsufficientMemoryException(String.format(
                    "%s needs at least %s of native memory (%,d parameters, their gradients and Adam state, and the "
                            + "activations of one batch), but this executor has %s left under its limit "
                            + "(JavaCPP maxPhysicalBytes %s). Use a smaller hidden size or batch, or give executors "
                            + "more memory (spark.executor.memory, spark.executor.memoryOverhead).",
                    model.describe(), mib(bytes), parameters, mib(available), mib(Pointer.maxPhysicalBytes())));
        }
    }

    static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "no limit" : String.format("%,d MiB", bytes >> 20);
    }

    /** A trial that cannot fit: the same outcome on every attempt, so it is recorded, not retried. */
    public static final class InsufficientMemoryException extends IllegalStateException {
        public InsufficientMemoryException(String message) {
            super(message);
        }
    }
}
