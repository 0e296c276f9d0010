package dev.sparksweep.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A trial saving its progress while it trains: at the first evaluation point once {@code every} has passed since the
 * last save (or since it started), it writes a {@link Checkpoint} to {@code file}, replacing the last one. A trial cut
 * short (its driver or executor killed) then continues from there instead of from scratch, and ends as it would have
 * trained straight through: evaluation points are where segments may end exactly.
 *
 * @param file  where the progress is saved (rewritten atomically each time)
 * @param every the least wall time between two saves; positive
 */
public record ProgressCheckpoints(Path file, Duration every) {

    public ProgressCheckpoints {
        Objects.requireNonNull(file, "file");
        if (every == null || every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("progress checkpoints need a positive interval, got " + every);
        }
    }
}
