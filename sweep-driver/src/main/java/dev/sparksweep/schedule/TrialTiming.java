package dev.sparksweep.schedule;

/**
 * Where one trial's time went, seen from the driver.
 *
 * @param jobSeconds    the trial's Spark job, submit to result (task launch, data access, training, serialisation)
 * @param trialSeconds  the training itself, as the executor measured it
 * @param appendSeconds writing the trial's rows to the leaderboard
 */
public record TrialTiming(String trialId, double jobSeconds, double trialSeconds, double appendSeconds) {

    /** What Spark and data access added on top of training. */
    public double overheadSeconds() {
        return jobSeconds - trialSeconds;
    }
}
