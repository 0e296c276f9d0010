package dev.sparksweep.schedule;

import dev.sparksweep.device.DeviceAssignment;
import dev.sparksweep.leaderboard.Provenance;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.MemoryUsage;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One piece of a sweep's work as its own Spark job: submitted, waited for, and watched. A trial stops itself at its
 * time limit; the watchdog cancels the job of one that does not (stuck in native code or a hung data fetch).
 */
final class TrialJob {

    private final JavaSparkContext jsc;
    private final RunningTrials starts;
    private final Duration watchdogGrace;

    /**
     * @param watchdogGrace how long past its time limit a trial may run before its job is cancelled; zero for the
     *                      default, the larger of one minute and the limit itself
     */
    TrialJob(JavaSparkContext jsc, RunningTrials starts, Duration watchdogGrace) {
        this.jsc = jsc;
        this.starts = starts;
        this.watchdogGrace = watchdogGrace;
    }

    /**
     * Runs {@code work} as a one-partition job in job group {@code group} and waits for its outcome; a trial whose
     * task never reports one (a job that failed past Spark's retries, or one the watchdog cancelled) gets an outcome
     * the driver writes.
     */
    TrialOutcome run(String group, Work work, TrialContext context) throws InterruptedException {
        Trial trial = work.trial();
        // Interrupt on cancel: a trial cancelled by the watchdog below stops at its next iteration.
        jsc.setJobGroup(group, trial.id() + " " + trial.describe(), true);
        // Executors report its value with their heartbeats while the task runs: the trial's progress.
        LongAccumulator iterations = jsc.sc().longAccumulator(RunningTrials.ITERATIONS);
        LongAccumulator resumed = jsc.sc().longAccumulator(RunningTrials.RESUMED);
        Instant started = Instant.now();
        JavaFutureAction<List<TrialOutcome>> job = null;
        try {
            job = jsc.parallelize(List.of(trial), 1).map(new TrialTask(context, iterations, resumed, work)).collectAsync();
            if (context.timeLimitSeconds() == 0) {
                return job.get().get(0);
            }
            // The trial stops itself at its limit; this catches one stuck where it cannot check (native code, a
            // hung data fetch). The clock starts when the task does: waiting for an executor does not count.
            long grace = watchdogGrace.isZero() ? Math.max(60, context.timeLimitSeconds())
                    : watchdogGrace.toSeconds();
            long patience = TimeUnit.SECONDS.toNanos(context.timeLimitSeconds() + grace);
            while (true) {
                try {
                    return job.get(1, TimeUnit.SECONDS).get(0);
                } catch (TimeoutException e) {
                    Optional<Long> since = starts.started(group);
                    if (since.isPresent() && System.nanoTime() - since.get() > patience) {
                        job.cancel(true);
                        return driverSide(trial, context, started, TrialResult.timedOut("did not stop within " + grace
                                + " s after its time limit of " + context.timeLimitSeconds()
                                + " s; its Spark job was cancelled", seconds(started)));
                    }
                }
            }
        } catch (ExecutionException | RuntimeException e) {
            // The task failed past Spark's retries (lost executors, serialization), or the job could not even be
            // submitted: record it, keep sweeping.
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return driverSide(trial, context, started,
                    TrialResult.failed("spark job failed: " + cause.getMessage(), seconds(started)));
        }
    }

    /** An outcome the driver records for a trial whose task never reported one. */
    private static TrialOutcome driverSide(Trial trial, TrialContext context, Instant started, TrialResult result) {
        return new TrialOutcome(trial, result, new Provenance(RuntimeVersions.sparksweep(), RuntimeVersions.dl4j(),
                RuntimeVersions.nd4j(), context.sparkVersion(), "unknown", "unknown", "none", -1, started,
                Instant.now(), new DeviceAssignment(null, "unknown"), MemoryUsage.UNKNOWN,
                context.timeLimitSeconds()));
    }

    private static double seconds(Instant started) {
        return Duration.between(started, Instant.now()).toMillis() / 1e3;
    }
}
