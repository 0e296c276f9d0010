package dev.sparksweep.refit;

/**
 * How a refit trains.
 *
 * @param iterations    the budget; 0 takes the chosen configuration's
 * @param trainLimit    train on the first this many of the 60,000 training images (0: all of them, the usual refit)
 * @param threads       native threads for training in this JVM
 * @param evalBatchSize images per forward pass when testing
 */
public record RefitSettings(int iterations, int trainLimit, int threads, int evalBatchSize) {

    public RefitSettings {
        if (iterations < 0 || trainLimit < 0 || threads < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("refit settings out of range: " + iterations + " iterations, train"
                    + " limit " + trainLimit + ", " + threads + " threads, evaluation batch " + evalBatchSize);
        }
    }
}
