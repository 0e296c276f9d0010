package dev.sparksweep.cli;

import dev.sparksweep.search.RuntimeSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark session from the settings, leaving alone whatever spark-submit already decided. */
final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * @param threadsPerTrial cores one trial's task claims; also the executors' OpenMP thread count
     */
    static SparkSession create(String appName, RuntimeSettings runtime, boolean masterFromCommandLine,
                               int threadsPerTrial) {
        SparkConf conf = new SparkConf(true); // picks up spark.* system properties set by spark-submit
        if (masterFromCommandLine || !conf.contains("spark.master")) {
            conf.setMaster(runtime.master());
        }
        conf.setAppName(appName);
        for (var e : runtime.sparkConf().entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        conf.setIfMissing("spark.task.cpus", Integer.toString(threadsPerTrial));
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threadsPerTrial));
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
