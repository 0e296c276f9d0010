package dev.sparksweep.data;

/**
 * A dataset file or source is missing, corrupt or unusable. The message always names the file (absolute path) or
 * the source, and says what is wrong, because this is usually read in a Spark executor log far from the cause.
 */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
