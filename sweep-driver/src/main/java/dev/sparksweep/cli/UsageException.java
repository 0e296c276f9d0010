package dev.sparksweep.cli;

/** The command line was wrong; the message says how. */
final class UsageException extends RuntimeException {

    /** Bad input found deeper down (a model file, an image file): its message, which names the file, as is. */
    UsageException(Throwable cause) {
        super(cause.getMessage(), cause);
    }

    UsageException(String message) {
        super(message);
    }
}
