package dev.sparksweep.train;

/**
 * Told after every training iteration, on the training thread: for progress reports while a trial runs (a Spark
 * accumulator, a log line every so often). It must be cheap, since the smallest models train an iteration in a few
 * milliseconds, and must not throw: an exception from it fails the trial. Serializable so that a listener built on
 * the driver can travel with a Spark task.
 */
@FunctionalInterface
public interface IterationListener extends java.io.Serializable {

    /**
     * @param iteration the iteration just trained, from 1
     * @param budget    the trial's iteration budget; a trial may stop before it (diverged, timed out)
     */
    void iterationDone(int iteration, int budget);

    /** Listens to nothing. */
    IterationListener NONE = (i, b) -> {};
}
