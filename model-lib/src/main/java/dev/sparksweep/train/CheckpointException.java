package dev.sparksweep.train;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be read, written or continued: missing, truncated, damaged, of another format version, or
 * of another trial. The message names the file and what is wrong with it.
 */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A string, not a {@link Path}: paths are not serializable and an exception may travel back from a Spark task. */
    private final String file;

    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super("checkpoint " + file + ": " + problem, cause);
        this.file = String.valueOf(file);
    }

    /** The checkpoint file concerned. */
    public Path file() {
        return Path.of(file);
    }
}
