package dev.sparksweep.search;

/** A sweep file or setting that cannot be run; the message names the file, the key and the value. */
public class SweepConfigException extends RuntimeException {

    public SweepConfigException(String message) {
        super(message);
    }

    public SweepConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
