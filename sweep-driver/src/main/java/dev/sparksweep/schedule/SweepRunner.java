package dev.sparksweep.schedule;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.Work;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

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
    private final Duration watchdogGrace;

    public SweepRunner(SparkSession spark, LeaderboardStore store, PrintStream out, Duration progressInterval) {
        this(spark, store, out, progressInterval, Duration.ZERO);
    }

    /**
     * @param watchdogGrace how long past its time limit a trial may run before the driver cancels its job; zero for
     *                      the default, the larger of one minute and the limit itself
     */
    public SweepRunner(SparkSession spark, LeaderboardStore store, PrintStream out, Duration progressInterval,
                       Duration watchdogGrace) {
        this.spark = spark;
        this.store = store;
        this.out = out;
        this.progressInterval = progressInterval;
        this.watchdogGrace = watchdogGrace;
    }

    /**
     * Concurrent trials the cluster can run now: its cores divided by the cores each trial's task claims, and, when
     * trials hold GPUs, no more than the executors' GPUs allow.
     */
    public int slots() {
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int slots = spark.sparkContext().defaultParallelism() / Math.max(1, taskCpus);
        double taskGpus = Double.parseDouble(spark.conf().get("spark.task.resource.gpu.amount", "0"));
        double executorGpus = Double.parseDouble(spark.conf().get("spark.executor.resource.gpu.amount", "0"));
        if (taskGpus > 0 && executorGpus > 0 && !spark.sparkContext().isLocal()) {
            int executors = spark.sparkContext().statusTracker().getExecutorInfos().length - 1; // less the driver
            slots = Math.min(slots, executors * (int) Math.floor(executorGpus / taskGpus + 1e-9));
        }
        return Math.max(1, slots);
    }

    public SweepSummary run(String sweep, List<Trial> trials, TrialContext context) {
        return run(sweep, trials, context, Set.of());
    }

    /**
     * @param retry statuses, otherwise final, whose trials are trained again (e.g. {@code timed-out} after raising
     *              the time limit)
     */
    public SweepSummary run(String sweep, List<Trial> trials, TrialContext context, Set<String> retry) {
        return run(sweep, trials, context, retry, (todo, finished) -> TrialSource.of(todo));
    }

    /**
     * @param plan the source of the trials to train, from those not finished and the ids of those finished (budget
     *             chains continue finished trials' checkpoints)
     */
    public SweepSummary run(String sweep, List<Trial> trials, TrialContext context, Set<String> retry,
                            BiFunction<List<Trial>, Set<String>, TrialSource> plan) {
        long start = System.nanoTime();
        recover();
        Set<String> finished = store.finishedTrialIds(retry);
        List<Trial> todo = trials.stream().filter(t -> !finished.contains(t.id())).toList();
        int skipped = trials.size() - todo.size();
        announce(sweep, trials.size() + " trials", skipped, todo.size());
        adoptShared(sweep, trials, finished);
        if (todo.isEmpty()) {
            ModelKeeper.of(store, sweep, context); // applies a smaller best-k to the models kept so far
            return new SweepSummary(sweep, trials.size(), skipped, 0, 0, seconds(start), List.of());
        }
        TrialSource source = plan.apply(todo, finished);
        SweepProgress progress = new SweepProgress(sweep, todo.size(), slots());
        todo.forEach(t -> progress.planned(t.id(), t.model().describe(), source.plannedIterations(t),
                WorkCost.perIteration(t)));
        return run(sweep, source, context, progress, trials.size(), skipped, start);
    }

    /**
     * Runs the trials a source gives as slots free up (a sampler that learns from results, such as TPE); the caller
     * has recovered the store ({@link #recover}) and left out what is finished.
     *
     * @param skipped trials of this sweep already finished, for the summary
     */
    public SweepSummary run(String sweep, TrialSource source, TrialContext context, int skipped) {
        long start = System.nanoTime();
        int remaining = source.remaining();
        String later = source.laterWork();
        announce(sweep, "up to " + (skipped + remaining) + " trials" + (later.isEmpty() ? "" : " (" + later + ")"),
                skipped, remaining);
        SweepProgress progress = new SweepProgress(sweep, remaining, slots());
        double expected = source.expectedIterationsPerNewTrial();
        if (!Double.isNaN(expected)) {
            progress.expectPerNewTrial(expected);
        }
        return run(sweep, source, context, progress, skipped + remaining, skipped, start);
    }

    /** Completes commits that a stopped driver left half way; run before reading what is finished. */
    public void recover() {
        int completed = store.recover();
        if (completed > 0) {
            out.printf("completed %d commit(s) that a stopped driver left half way%n", completed);
        }
    }

    /**
     * Records the finished trials of {@code planned} that another sweep trained as this sweep's too (they are
     * skipped, not trained again), so that this sweep's rankings and report count them.
     */
    public void adoptShared(String sweep, List<Trial> planned, Set<String> finished) {
        List<String> skipped = planned.stream().map(Trial::id).filter(finished::contains).toList();
        int adopted = store.adopt(sweep, skipped);
        if (adopted > 0) {
            out.printf("sweep '%s': %d of the trials already in the leaderboard were trained by another sweep; they"
                    + " count as this sweep's too%n", sweep, adopted);
        }
    }

    private void announce(String sweep, String size, int skipped, int todo) {
        int slots = slots();
        // On a cluster, executors register after the session starts: the count grows as they do.
        out.printf("sweep '%s': %s, %d already in the leaderboard, %d to train, %d at a time%s on %s%n",
                sweep, size, skipped, todo, Math.min(slots, Math.max(1, todo)),
                spark.sparkContext().isLocal() ? "" : " so far", spark.sparkContext().master());
    }

    private SweepSummary run(String sweep, TrialSource source, TrialContext context, SweepProgress progress,
                             int total, int skipped, long start) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        RunningTrials starts = new RunningTrials();
        TrialJob jobs = new TrialJob(jsc, starts, watchdogGrace);
        spark.sparkContext().addSparkListener(starts);
        Map<String, String> groups = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newCachedThreadPool(daemon("sweep-trial"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("sweep-progress"));
        ticker.scheduleAtFixedRate(() -> out.println(refreshed(progress, groups, starts).line()),
                progressInterval.toMillis(), progressInterval.toMillis(), TimeUnit.MILLISECONDS);
        // One writer commits outcomes in order of arrival, so a trial slot starts its next trial at once instead of
        // waiting for the leaderboard write (written by the driver itself: it needs no executor core).
        ExecutorService writer = Executors.newSingleThreadExecutor(daemon("sweep-writer"));
        // Started from this thread, so that it does not inherit a trial's job group (Spark's local properties are
        // inherited by new threads) and get cancelled with it.
        writer.submit(() -> null);
        List<Future<?>> trialsRun = new ArrayList<>();
        List<Future<?>> writes = Collections.synchronizedList(new ArrayList<>());
        List<TrialTiming> timings = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        OutcomeRecorder recorder = new OutcomeRecorder(sweep, store, out, progress, timings,
                ModelKeeper.of(store, sweep, context));
        Semaphore finishedOne = new Semaphore(0);
        int inFlight = 0;
        try {
            while (writeFailure.get() == null) {
                // Slots are read again as trials finish: on a cluster, executors register after the sweep starts,
                // and lost ones are replaced. Spark queues what does not fit, so a stale count only delays.
                int now = slots();
                progress.slots(now);
                while (inFlight < now) {
                    Optional<Work> taken = source.next();
                    if (taken.isEmpty()) {
                        break;
                    }
                    Work work = taken.get();
                    Trial trial = work.trial();
                    progress.planned(work.id(), work.label(), work.iterations(), WorkCost.perIteration(trial));
                    inFlight++;
                    trialsRun.add(pool.submit(() -> {
                        String group = "sparksweep-" + sweep + "-" + work.id();
                        groups.put(work.id(), group);
                        try {
                            long job = System.nanoTime();
                            TrialOutcome outcome = jobs.run(group, work, context);
                            double jobSeconds = seconds(job);
                            // Before the slot counts as free: a sampler proposes the next trial knowing this result,
                            // and a scheduler has decided whether this trial goes on.
                            Work.Recorded recorded = source.finished(work, outcome.result());
                            for (Work added : source.drainAdded()) {
                                progress.planned(added.id(), added.label(), added.iterations(),
                                        WorkCost.perIteration(added.trial()));
                            }
                            writes.add(writer.submit(() -> {
                                try {
                                    recorder.record(work, recorded, outcome, jobSeconds);
                                    source.recorded(work);
                                    InterruptedTrials.recorded(context, work, recorded, outcome.result());
                                } catch (RuntimeException e) {
                                    writeFailure.compareAndSet(null, e);
                                    throw e;
                                }
                                out.println(refreshed(progress, groups, starts).line());
                                return null;
                            }));
                            return null;
                        } finally {
                            groups.remove(work.id());
                            starts.forget(group);
                            finishedOne.release();
                        }
                    }));
                }
                if (inFlight == 0) {
                    break; // nothing running and nothing more to start
                }
                if (finishedOne.tryAcquire(1, TimeUnit.SECONDS)) {
                    inFlight--;
                }
            }
            for (Future<?> f : trialsRun) {
                f.get();
            }
            for (Future<?> f : List.copyOf(writes)) {
                f.get();
            }
            if (writeFailure.get() == null) {
                source.sweepEnded();
                if (context.progressDir() != null) {
                    InterruptedTrials.releaseFinished(Path.of(context.progressDir()), store.finishedTrialIds());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            // Only the leaderboard write can get here (trials report their own failures): results so far are kept.
            throw new IllegalStateException("sweep stopped: cannot write the leaderboard: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            spark.sparkContext().removeSparkListener(starts);
            ticker.shutdownNow();
            pool.shutdownNow();
            writer.shutdown();
        }
        // Trials that ended (under ASHA a trial takes several segments before it does).
        // Trials a sampler (or ASHA's finalists) adopted from other sweeps as it went: already in the leaderboard too.
        return new SweepSummary(sweep, total, skipped + source.adopted(), progress.done(), progress.failed(),
                seconds(start), timings);
    }

    /** The progress with what Spark last reported of the trials in flight: started tasks and their iterations. */
    private static SweepProgress refreshed(SweepProgress progress, Map<String, String> groups, RunningTrials starts) {
        groups.forEach((trialId, group) -> starts.started(group)
                .ifPresent(since -> progress.running(trialId, since, starts.iterations(group),
                        starts.resumed(group))));
        return progress;
    }

    private static ThreadFactory daemon(String name) {
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
