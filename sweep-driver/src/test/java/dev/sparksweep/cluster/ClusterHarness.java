package dev.sparksweep.cluster;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The test cluster of {@code cluster/standalone.sh} (a master and two workers on loopback, each worker with two
 * fake GPUs and two cores, authenticating with a fresh secret) and drivers started through {@code cluster/submit.sh},
 * each its own process as on a real cluster.
 */
final class ClusterHarness {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path CLUSTER = ROOT.resolve("sweep-driver/target/it-cluster");
    static final Path FAKE_NVIDIA_SMI = ROOT.resolve("sweep-driver/src/test/resources/cluster/fake-nvidia-smi");

    private final int port;
    private final String master;

    private ClusterHarness(int port, String master) {
        this.port = port;
        this.master = master;
    }

    static ClusterHarness start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String out = script(port, "start", "--workers", "2", "--cores", "2", "--memory", "3g", "--gpus", "2",
                "--gpu-discovery", ROOT.resolve("cluster/gpu-discovery.sh").toString());
        String master = out.lines().filter(l -> l.startsWith("spark://")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master URL in: " + out));
        return new ClusterHarness(port, master);
    }

    void stop() throws IOException, InterruptedException {
        script(port, "stop");
    }

    String master() {
        return master;
    }

    Path secret() {
        return CLUSTER.resolve("secret");
    }

    private static String script(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("cluster/standalone.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SPARKSWEEP_CLUSTER_DIR", CLUSTER.toString());
        pb.environment().put("SPARKSWEEP_MASTER_PORT", Integer.toString(port));
        pb.environment().put("NVIDIA_SMI", FAKE_NVIDIA_SMI.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("standalone.sh " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    /** A driver process: {@code cluster/submit.sh} with its output going to {@code log}. */
    record Driver(Process process, Path log) {

        String output() throws IOException {
            return Files.readString(log);
        }

        /** The driver's full log file (SPARKSWEEP_LOG_FILE): INFO and the causes and traces of warnings. */
        String fullLog() throws IOException {
            Path full = fullLogOf(log);
            return Files.exists(full) ? Files.readString(full) : "";
        }

        /** Waits for the driver to end; returns its exit code, printing its output for the test log. */
        int await(int seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("driver still running after " + seconds + " s:\n" + tail(output()));
            }
            System.out.println(tail(output()));
            return process.exitValue();
        }
    }

    /**
     * Starts a driver. {@code submitOptions} go to submit.sh (--deploy-mode, --conf ...), {@code args} to sparksweep.
     *
     * @param withSecret whether the driver gets the cluster's secret
     */
    Driver submit(Path log, boolean withSecret, List<String> submitOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("cluster/submit.sh").toString(), "--master",
                master, "--conf", "spark.executor.memory=1g", "--conf", "spark.driver.memory=1g"));
        command.addAll(submitOptions);
        command.add("--");
        command.addAll(List.of(args));
        command.add("-Dsparksweep.progress-interval=5s");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (withSecret) {
            pb.environment().put("SPARKSWEEP_AUTH_SECRET_FILE", secret().toString());
        } else {
            pb.environment().remove("SPARKSWEEP_AUTH_SECRET_FILE");
        }
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARKSWEEP_LOG_FILE", fullLogOf(log).toString());
        return new Driver(pb.start(), log);
    }

    static Path fullLogOf(Path consoleLog) {
        return consoleLog.resolveSibling(consoleLog.getFileName() + ".full");
    }

    /** Rows of the leaderboard under {@code out}, read by a separate local Spark session as a user would. */
    static List<Row> leaderboard(Path out, String columns) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            spark.read().parquet(out.resolve("leaderboard").toString()).createOrReplaceTempView("leaderboard");
            return spark.sql("SELECT " + columns + " FROM leaderboard").collectAsList();
        }
    }

    /** Learning-curve points as the {@code curves} view shows them. */
    static long curvePoints(Path out) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            return new dev.sparksweep.leaderboard.LeaderboardStore(spark, out.toString()).curves().count();
        }
    }

    /** Learning-curve points in the raw files, as {@code spark.read.parquet("<out>/curves")} shows them. */
    static long rawCurvePoints(Path out) {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            return spark.read().parquet(out.resolve("curves").toString()).count();
        }
    }

    /** Parquet files in the leaderboard table: one per appended trial. */
    static long leaderboardFiles(Path out) throws IOException {
        Path dir = out.resolve("leaderboard");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    /** Executor logs (the cluster's log4j writes to stdout) of every application this cluster ran. */
    static List<Path> executorLogs() throws IOException {
        List<Path> logs = new ArrayList<>();
        // Only work-*/app-*/<executor>/stdout: the rest of the cluster folder changes under a walk (block managers).
        try (Stream<Path> workers = Files.list(CLUSTER)) {
            for (Path work : workers.filter(w -> w.getFileName().toString().startsWith("work-")).toList()) {
                try (Stream<Path> apps = Files.list(work)) {
                    for (Path app : apps.filter(a -> a.getFileName().toString().startsWith("app-")).toList()) {
                        try (Stream<Path> executors = Files.list(app)) {
                            executors.map(e -> e.resolve("stdout")).filter(Files::isRegularFile).forEach(logs::add);
                        }
                    }
                }
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            // an application folder removed while listing: the next poll sees the rest
        }
        return logs;
    }

    /** How many times any executor started training {@code trialId}. */
    static long starts(String trialId) throws IOException {
        long n = 0;
        for (Path log : executorLogs()) {
            n += Files.readAllLines(log).stream().filter(l -> l.contains("trial " + trialId + " (")).count();
        }
        return n;
    }

    /** The pid of a live executor that is training a trial now. */
    static Optional<Long> executorTraining() throws IOException {
        for (Path log : executorLogs()) {
            List<String> lines = Files.readAllLines(log);
            long started = lines.stream().filter(l -> l.contains("TrialTask: trial ") && l.contains(" starting on"))
                    .count();
            long finished = lines.stream().filter(l -> l.contains("TrialTask: trial ") && l.contains(" finished:"))
                    .count();
            if (started > finished) {
                String executorId = log.getParent().getFileName().toString();
                String appId = log.getParent().getParent().getFileName().toString();
                Optional<Long> pid = ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                                && c.contains("--executor-id " + executorId) && c.contains("--app-id " + appId))
                                .orElse(false))
                        .map(ProcessHandle::pid).findFirst();
                if (pid.isPresent()) {
                    return pid;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes the work folders of applications that have ended: each holds a copy of the 150 MB application jar per
     * executor, too much to keep across a dozen test applications.
     */
    static void forgetFinishedApplications() throws IOException {
        try (Stream<Path> workers = Files.list(CLUSTER)) {
            for (Path work : workers.filter(w -> w.getFileName().toString().startsWith("work-")).toList()) {
                try (Stream<Path> apps = Files.list(work)) {
                    for (Path app : apps.filter(a -> a.getFileName().toString().startsWith("app-")).toList()) {
                        try (Stream<Path> tree = Files.walk(app)) {
                            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                Files.deleteIfExists(p);
                            }
                        } catch (IOException e) {
                            // an executor still shutting down: its folder goes next time
                        }
                    }
                }
            }
        }
    }

    /** A condition that reads files; an I/O error (a log not written yet) counts as not yet. */
    interface IoCondition {
        boolean holds() throws IOException;
    }

    static void waitFor(String what, int seconds, IoCondition condition) throws InterruptedException {
        BooleanSupplier check = () -> {
            try {
                return condition.holds();
            } catch (IOException e) {
                return false;
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Whether two leaderboard rows trained on the same executor at the same time. */
    static boolean ranTogether(Row a, Row b) {
        return a != b && a.getAs("executor_id").equals(b.getAs("executor_id"))
                && a.<Timestamp>getAs("started_at").before(b.getAs("finished_at"))
                && b.<Timestamp>getAs("started_at").before(a.getAs("finished_at"));
    }

    static String tail(String text) {
        List<String> lines = text.lines().filter(l -> !l.contains(" INFO ") && !l.contains("DEBUG")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
