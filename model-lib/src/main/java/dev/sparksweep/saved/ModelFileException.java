package dev.sparksweep.saved;

import java.nio.file.Path;

/** A model file or its card that cannot be used: missing, damaged, not a sparksweep model, or for other data. */
public final class ModelFileException extends RuntimeException {

    private final transient Path file;

    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
