package dev.sparksweep.schedule;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.Provenance;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives a sweep: skips trials the leaderboard already has, submits each remaining trial as its own one-partition
 * Spark job (as many at once as the cluster has trial slots), appends each outcome as soon as it arrives, and prints
 * progress while it waits.
 */
public final class SweepRunner {

    private final SparkSession spark;
    private final LeaderboardStore store;
    private final PrintStream out;
    private final Duration progressInterval;

    public SweepRunner(SparkSession spark, LeaderboardStore store, PrintStream out, Duration progressInterval) {
        this.spark = spark;
        this.store = store;
        this.out = out;
        this.progressInterval = progressInterval;
    }

    /** Concurrent trials the cluster can run: its cores divided by the cores each trial's task claims. */
    public int slots() {
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        return Math.max(1, spark.sparkContext().defaultParallelism() / Math.max(1, taskCpus));
    }

    public SweepSummary run(String sweep, List<Trial> trials, TrialContext context) {
        long start = System.nanoTime();
        Set<String> finished = store.finishedTrialIds();
        List<Trial> todo = trials.stream().filter(t -> !finished.contains(t.id())).toList();
        int skipped = trials.size() - todo.size();
        int slots = slots();
        out.printf("sweep '%s': %d trials, %d already in the leaderboard, %d to train, %d at a time on %s%n",
                sweep, trials.size(), skipped, todo.size(), Math.min(slots, Math.max(1, todo.size())),
                spark.sparkContext().master());
        if (todo.isEmpty()) {
            return new SweepSummary(sweep, trials.size(), skipped, 0, 0, seconds(start), List.of());
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SweepProgress progress = new SweepProgress(sweep, todo.size(), slots);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(slots, todo.size()), daemon("sweep-trial"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("sweep-progress"));
        ticker.scheduleAtFixedRate(() -> out.println(progress.line()), progressInterval.toMillis(),
                progressInterval.toMillis(), TimeUnit.MILLISECONDS);
        // One writer appends outcomes in order of arrival, so a trial slot starts its next trial at once instead of
        // waiting for the leaderboard write (a small Spark job of its own).
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("sweep-writer"));
        List<Future<?>> trialsRun = new ArrayList<>();
        List<Future<?>> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<TrialTiming> timings = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<Throwable> writeFailure = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            for (Trial trial : todo) {
                trialsRun.add(pool.submit(() -> {
                    if (writeFailure.get() != null) {
                        return null; // the leaderboard cannot be written: train nothing more that would be lost
                    }
                    progress.started(trial.id());
                    long job = System.nanoTime();
                    TrialOutcome outcome = runOne(jsc, sweep, trial, context);
                    double jobSeconds = seconds(job);
                    writes.add(writer.submit(() -> {
                        long append = System.nanoTime();
                        try {
                            store.append(sweep, outcome);
                        } catch (RuntimeException e) {
                            writeFailure.compareAndSet(null, e);
                            throw e;
                        }
                        timings.add(new TrialTiming(trial.id(), jobSeconds, outcome.result().wallSeconds(),
                                seconds(append)));
                        boolean ok = outcome.result().status() == TrialStatus.OK;
                        progress.finished(trial.id(), !ok, outcome.result().wallSeconds());
                        out.printf("  %s %-40s %-8s %s%n", trial.id(), trial.describe(),
                                outcome.result().status().id(), summary(outcome.result()));
                        out.println(progress.line());
                        return null;
                    }));
                    return null;
                }));
            }
            for (Future<?> f : trialsRun) {
                f.get();
            }
            for (Future<?> f : List.copyOf(writes)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            // Only the leaderboard write can get here (trials report their own failures): results so far are kept.
            throw new IllegalStateException("sweep stopped: cannot write the leaderboard: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
            writer.shutdown();
        }
        return new SweepSummary(sweep, trials.size(), skipped, todo.size(), progress.failed(), seconds(start),
                timings);
    }

    private TrialOutcome runOne(JavaSparkContext jsc, String sweep, Trial trial, TrialContext context) {
        jsc.setJobGroup("sparksweep-" + sweep + "-" + trial.id(), sweep + " " + trial.id() + " " + trial.describe(),
                true);
        Instant started = Instant.now();
        try {
            return jsc.parallelize(List.of(trial), 1).map(new TrialTask(context)).collect().get(0);
        } catch (RuntimeException e) {
            // The task itself failed past Spark's retries (lost executors, serialization): record it, keep sweeping.
            TrialResult failed = TrialResult.failed("spark job failed: " + e.getMessage(),
                    Duration.between(started, Instant.now()).toMillis() / 1e3);
            return new TrialOutcome(trial, failed, new Provenance(RuntimeVersions.sparksweep(), RuntimeVersions.dl4j(),
                    RuntimeVersions.nd4j(), context.sparkVersion(), "unknown", "unknown", "none", -1, started,
                    Instant.now()));
        }
    }

    private static String summary(TrialResult r) {
        if (r.status() != TrialStatus.OK) {
            return r.error();
        }
        String accuracy = (Double.isNaN(r.bestValidationAccuracy()) ? ""
                : String.format("val %.2f%% ", 100 * r.bestValidationAccuracy()))
                + String.format("test %.2f%%", 100 * r.testAccuracy());
        return String.format("%s | %.1f it/s, %s", accuracy, r.iterationsPerSecond(),
                SweepProgress.format(Duration.ofMillis((long) (r.wallSeconds() * 1000))));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
