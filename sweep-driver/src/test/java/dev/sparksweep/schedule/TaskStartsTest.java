package dev.sparksweep.schedule;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time-limit watchdog's clock: Spark's own task-start events, keyed by the trial's job group. */
class TaskStartsTest {

    @Test
    void recordsWhenAJobGroupsTaskStartsAndForgetsIt() throws InterruptedException {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("task-starts")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            TaskStarts starts = new TaskStarts();
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
            starts.forget("trial-a");
            assertTrue(starts.started("trial-a").isEmpty());
        }
    }
}
