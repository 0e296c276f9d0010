package dev.sparksweep.schedule;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.Tuple4;
import scala.collection.Iterator;
import scala.collection.Seq;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Spark reports about each trial's task, keyed by the trial's job group: when it last started (a trial's time
 * limit counts from there, not from when its job was submitted: a job may wait for a free executor, and that wait is
 * not the trial's), and how many iterations it has trained, which executors send with their heartbeats as the value
 * of the task's {@value #ITERATIONS} accumulator.
 */
final class RunningTrials extends SparkListener {

    /** The name of the accumulator a trial's task counts its iterations in. */
    static final String ITERATIONS = "sparksweep.iterations";
    /** The name of the accumulator a trial's task counts the iterations it continued past in (a progress resume). */
    static final String RESUMED = "sparksweep.resumed";

    private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> iterations = new ConcurrentHashMap<>();
    private final Map<String, Long> resumed = new ConcurrentHashMap<>();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        String group = stage.properties() == null ? null : stage.properties().getProperty("spark.jobGroup.id");
        if (group != null) {
            stageGroups.put(stage.stageInfo().stageId(), group);
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
        String group = stageGroups.get(task.stageId());
        if (group != null) {
            // The latest attempt: a task re-run after a lost executor gets its full time again, and starts at 0.
            startedNanos.put(group, System.nanoTime());
            iterations.remove(group);
            resumed.remove(group);
        }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        Iterator<Tuple4<Object, Object, Object, Seq<AccumulableInfo>>> tasks = update.accumUpdates().iterator();
        while (tasks.hasNext()) {
            Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task = tasks.next();
            String group = stageGroups.get((Integer) task._2());
            if (group == null) {
                continue;
            }
            Iterator<AccumulableInfo> infos = task._4().iterator();
            while (infos.hasNext()) {
                AccumulableInfo info = infos.next();
                if (info.name().isDefined() && info.update().isDefined() && info.update().get() instanceof Number n) {
                    switch (info.name().get()) {
                        case ITERATIONS -> iterations.merge(group, n.longValue(), Math::max);
                        // A running total the task may take back (a progress checkpoint that would not load):
                        // the latest heartbeat's value is the one that holds.
                        case RESUMED -> resumed.put(group, n.longValue());
                        default -> { }
                    }
                }
            }
        }
    }

    /** {@link System#nanoTime()} when the job group's task last started, if it has. */
    Optional<Long> started(String jobGroup) {
        return Optional.ofNullable(startedNanos.get(jobGroup));
    }

    /** Iterations the job group's task had trained at its executor's last heartbeat; 0 before the first. */
    long iterations(String jobGroup) {
        return iterations.getOrDefault(jobGroup, 0L);
    }

    /** Iterations the job group's task skipped by continuing from a progress checkpoint; 0 if none (yet). */
    long resumed(String jobGroup) {
        return resumed.getOrDefault(jobGroup, 0L);
    }

    void forget(String jobGroup) {
        startedNanos.remove(jobGroup);
        iterations.remove(jobGroup);
        resumed.remove(jobGroup);
        stageGroups.values().removeIf(jobGroup::equals);
    }
}
