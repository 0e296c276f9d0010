package dev.sparksweep.schedule;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each trial's task last started running, as Spark reports it. A trial's time limit counts from there, not from
 * when its job was submitted: a job may wait for a free executor, and that wait is not the trial's.
 */
final class TaskStarts extends SparkListener {

    private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();

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
            // The latest attempt: a task re-run after a lost executor gets its full time again.
            startedNanos.put(group, System.nanoTime());
        }
    }

    /** {@link System#nanoTime()} when the job group's task last started, if it has. */
    Optional<Long> started(String jobGroup) {
        return Optional.ofNullable(startedNanos.get(jobGroup));
    }

    void forget(String jobGroup) {
        startedNanos.remove(jobGroup);
        stageGroups.values().removeIf(jobGroup::equals);
    }
}
