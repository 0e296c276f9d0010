package dev.sparksweep.schedule;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time-limit watchdog's clock (Spark's own task-start events) and the progress line's iterations (heartbeats),
 * keyed by the trial's job group.
 */
class RunningTrialsTest {

    @Test
    void recordsWhenAJobGroupsRunningTrialsAndForgetsIt() throws InterruptedException {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("task-starts")
                .config("spark.ui.enabled", "false").config("spark.executor.heartbeatInterval", "500ms").getOrCreate()) {
            RunningTrials starts = new RunningTrials();
            spark.sparkContext().addSparkListener(starts);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long before = System.nanoTime();
            jsc.setJobGroup("trial-a", "a trial", true);
            jsc.parallelize(List.of(1, 2, 3), 1).map(x -> x * 2).collect();
            jsc.clearJobGroup();
            jsc.parallelize(List.of(1), 1).count(); // a job outside any group
            long deadline = System.nanoTime() + 10_000_000_000L; // listener events arrive asynchronously
            while (starts.started("trial-a").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(starts.started("trial-a").orElseThrow() >= before, "started after submission");
            assertTrue(starts.started("trial-b").isEmpty(), "a group that never ran has no start");
            // Iterations counted in the task's accumulator reach the driver with the executor's heartbeats, while
            // the task still runs.
            org.apache.spark.util.LongAccumulator counter = jsc.sc().longAccumulator(RunningTrials.ITERATIONS);
            org.apache.spark.util.LongAccumulator resumed = jsc.sc().longAccumulator(RunningTrials.RESUMED);
            jsc.setJobGroup("trial-c", "a counting trial", true);
            var job = jsc.parallelize(List.of(1), 1).map(x -> {
                resumed.add(1000); // it continued from a progress checkpoint at iteration 1000
                for (int i = 0; i < 40; i++) {
                    counter.add(1);
                    Thread.sleep(100);
                }
                return x;
            }).collectAsync();
            long seen = 0;
            long seenResumed = 0;
            while (!job.isDone()) {
                seen = Math.max(seen, starts.iterations("trial-c") < 40 ? starts.iterations("trial-c") : 0);
                seenResumed = Math.max(seenResumed, starts.resumed("trial-c"));
                Thread.sleep(50);
            }
            assertTrue(seen > 0, "a heartbeat reported iterations of the running task");
            assertEquals(1000, seenResumed, "and the iterations it continued past");
            assertEquals(0, starts.resumed("trial-a"), "a task that continued from nothing");
            starts.forget("trial-a");
            assertTrue(starts.started("trial-a").isEmpty());
        }
    }
}
