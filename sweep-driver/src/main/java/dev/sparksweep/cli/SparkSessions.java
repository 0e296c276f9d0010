package dev.sparksweep.cli;

import dev.sparksweep.search.RuntimeSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        String master = conf.get("spark.master", "local");
        if (master.startsWith("local")) {
            // Nothing of a local run needs to be reachable from elsewhere; on a cluster, executors on other machines
            // must reach the driver, so there Spark's own choice (or the user's) stands.
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        String ownJar = ownJar();
        if (!master.startsWith("local") && ownJar != null) {
            // Executors on a cluster need sparksweep's classes: ship the jar this driver runs from
            // (spark-submit sets spark.jars itself).
            conf.setIfMissing("spark.jars", ownJar);
        }
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threadsPerTrial));
        if (!runtime.authSecretFile().isBlank()) {
            conf.set("spark.authenticate", "true");
            conf.setIfMissing("spark.authenticate.secret", readSecret(Path.of(runtime.authSecretFile())));
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static String readSecret(Path file) {
        try {
            String secret = Files.readString(file).strip();
            if (secret.isEmpty()) {
                throw new UsageException("the Spark auth secret file " + file + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new UsageException("cannot read the Spark auth secret file " + file
                    + " (sparksweep.spark.auth-secret-file or SPARKSWEEP_AUTH_SECRET_FILE): " + e.getMessage());
        }
    }

    /** The jar holding this class, or null when running from a classes folder (tests, IDE). */
    private static String ownJar() {
        try {
            java.nio.file.Path path = java.nio.file.Path.of(
                    SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return path.toString().endsWith(".jar") ? path.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
