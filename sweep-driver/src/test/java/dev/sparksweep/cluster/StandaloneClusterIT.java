package dev.sparksweep.cluster;

import dev.sparksweep.cli.Main;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.sparksweep.cluster.ClusterHarness.leaderboard;
import static dev.sparksweep.cluster.ClusterHarness.leaderboardFiles;
import static dev.sparksweep.cluster.ClusterHarness.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps on a real Spark standalone cluster (master, two workers, executors in their own JVMs, all on loopback,
 * authenticated), driven through spark-submit as separate processes, and the faults a cluster brings: lost
 * executors, a killed driver, trials that fail the same way every time, concurrent sweeps, long-lived executors and
 * trials that run too long. Every test counts rows: a trial lost or trained twice fails it.
 */
class StandaloneClusterIT {

    private static ClusterHarness cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterHarness.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @BeforeEach
    void forgetOldApplications() throws IOException {
        ClusterHarness.forgetFinishedApplications();
    }

    private Path sweepFile(String name, String space, String extra) throws IOException {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, """
                sweep {
                  name = %s
                  space { %s }
                  data { validation-size = 500, train-limit = 3000, test-limit = 500 }
                  train { eval-every = 100, eval-batch-size = 250 %s }
                }
                """.formatted(name, space, extra));
        return file;
    }

    private static Set<String> ids(List<Row> rows) {
        return rows.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    }

    @Test
    void theSameSweepFileRunsInLocalModeAndThroughSparkSubmitInClientAndClusterMode() throws Exception {
        Path sweep = sweepFile("same-file", "family = [rnn, lstm, gru], layers = [1], hidden = [32], "
                + "activation = [tanh], learning-rate = [0.01], batch-size = [50], iterations = [150], seed = [7]", "");
        Path local = dir.resolve("local");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"run", sweep.toString(), "--master", "local[2]", "--out", local.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));

        // The CPU example settings, sized down to this machine's two-core workers.
        List<String> example = List.of("--properties-file",
                ClusterHarness.ROOT.resolve("cluster/conf/spark-defaults-cpu.conf").toString(),
                "--conf", "spark.executor.cores=2");
        // A client-mode driver whose data folder is empty, with the configured master still local[*]: spark-submit's
        // --master decides, so the driver must not fetch the data itself; executors fill the folder they are told.
        Path client = dir.resolve("client");
        Path driverData = dir.resolve("driver-has-no-data");
        Path realData = dev.sparksweep.search.SweepConfig.load(null, Map.of()).runtime().dataDir().resolve("mnist");
        ClusterHarness.Driver clientDriver = cluster.submit(dir.resolve("client.log"), true, example,
                "run", sweep.toString(), "--out", client.toString(), "-Dsparksweep.data.dir=" + driverData,
                "-Dsparksweep.data.sources.mnist=[\"dir:" + realData + "\"]");
        assertEquals(0, clientDriver.await(300));
        assertFalse(clientDriver.output().contains("mnist: fetching"), "the driver fetched no data: "
                + clientDriver.output());
        assertTrue(Files.isDirectory(driverData.resolve("mnist")), "the executors fetched it");
        Path clustered = dir.resolve("cluster");
        List<String> clusterMode = new ArrayList<>(example);
        clusterMode.addAll(List.of("--deploy-mode", "cluster"));
        ClusterHarness.Driver driver = cluster.submit(dir.resolve("cluster.log"), true, clusterMode,
                "run", sweep.toString(), "--out", clustered.toString());
        assertEquals(0, driver.await(300));
        assertTrue(driver.output().contains("State of driver driver-") && driver.output().contains("is FINISHED"),
                "submit.sh checked the driver's final state");

        Set<String> expected = ids(leaderboard(local, "trial_id"));
        assertEquals(3, expected.size());
        for (Path results : List.of(client, clustered)) {
            List<Row> rows = leaderboard(results, "trial_id, status, executor_id, backend, test_accuracy");
            assertEquals(3, rows.size(), results + ": " + rows);
            assertEquals(expected, ids(rows), "the same trials, by id");
            for (Row r : rows) {
                assertEquals("ok", r.getString(1), r.toString());
                assertNotEquals("driver", r.getString(2), "trained on a cluster executor");
                assertTrue(r.getString(3).contains("fused-vector"), "executors got the vector API: " + r);
                assertTrue(r.getDouble(4) > 0.5, "clearly learning: " + r);
            }
        }
    }

    @Test
    void aClusterModeDriverThatFailsMakesSubmitFailAndADriverWithoutTheSecretIsRefused() throws Exception {
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "sweep { space { hiden = [16] } }\n");
        ClusterHarness.Driver failing = cluster.submit(dir.resolve("bad.log"), true,
                List.of("--deploy-mode", "cluster"), "run", bad.toString(), "--out", dir.resolve("bad").toString());
        assertEquals(1, failing.await(300), "spark-submit alone would exit 0 here");
        assertTrue(failing.output().contains("ended in state FAILED"), failing.output());

        Path sweep = sweepFile("no-secret", "family = [rnn], layers = [1], hidden = [8], activation = [tanh], "
                + "learning-rate = [0.005], batch-size = [50], iterations = [10], seed = [1]", "");
        ClusterHarness.Driver stranger = cluster.submit(dir.resolve("stranger.log"), false, List.of(),
                "run", sweep.toString(), "--out", dir.resolve("stranger").toString());
        try {
            // The console says the master cannot be reached; the cause is in the driver's full log.
            waitFor("the master to refuse an unauthenticated driver", 60,
                    () -> stranger.fullLog().contains("does not have SASL enabled"));
        } finally {
            stranger.process().destroyForcibly().waitFor();
        }
        assertEquals(0, leaderboardFiles(dir.resolve("stranger")), "nothing trained for it");
    }

    @Test
    void eachTrialRecordsTheGpuSparkAssignedItsTask() throws Exception {
        Path sweep = sweepFile("gpus", "family = [rnn], layers = [1], hidden = [16], activation = [tanh], "
                + "learning-rate = [0.005], batch-size = [50], iterations = [60], seed = [1, 2, 3, 4, 5, 6]", "");
        Path out = dir.resolve("gpus");
        // Each worker offers two (fake) GPUs; an executor takes both and each trial's task one of them.
        assertEquals(0, cluster.submit(dir.resolve("gpus.log"), true, List.of(
                        "--conf", "spark.executor.resource.gpu.amount=2", "--conf", "spark.task.resource.gpu.amount=1"),
                "run", sweep.toString(), "--out", out.toString()).await(300));
        List<Row> rows = leaderboard(out, "trial_id, executor_id, gpu_address, device, started_at, finished_at");
        assertEquals(6, rows.size());
        Set<String> addresses = new HashSet<>();
        for (Row r : rows) {
            assertTrue(Set.of("0", "1").contains(r.getString(2)), "a GPU address from discovery: " + r);
            assertEquals("cpu (GPU " + r.getString(2) + " assigned, CPU backend)", r.getString(3));
            addresses.add(r.getString(2));
        }
        assertEquals(Set.of("0", "1"), addresses, "both GPUs were handed out");
        for (Row a : rows) {
            for (Row b : rows) {
                if (ClusterHarness.ranTogether(a, b)) {
                    assertNotEquals(a.getString(2), b.getString(2), "trials running together share no GPU: "
                            + a + " " + b);
                }
            }
        }

        // Fractional amounts: each executor holds one GPU and two trials share it.
        Path shared = dir.resolve("shared-gpus");
        assertEquals(0, cluster.submit(dir.resolve("shared-gpus.log"), true, List.of(
                        "--conf", "spark.executor.resource.gpu.amount=1", "--conf", "spark.task.resource.gpu.amount=0.5"),
                "run", sweep.toString(), "--out", shared.toString()).await(300));
        List<Row> sharing = leaderboard(shared, "trial_id, executor_id, gpu_address, started_at, finished_at");
        assertEquals(6, sharing.size());
        Map<String, Set<String>> gpusByExecutor = new HashMap<>();
        boolean shareSeen = false;
        for (Row a : sharing) {
            assertTrue(Set.of("0", "1").contains(a.getString(2)), a.toString());
            gpusByExecutor.computeIfAbsent(a.getString(1), e -> new HashSet<>()).add(a.getString(2));
            for (Row b : sharing) {
                shareSeen |= ClusterHarness.ranTogether(a, b);
            }
        }
        assertTrue(gpusByExecutor.values().stream().allMatch(g -> g.size() == 1),
                "an executor holding one GPU hands that one to every trial: " + gpusByExecutor);
        assertTrue(shareSeen, "two trials ran on one GPU at the same time: " + sharing);
    }

    @Test
    void aKilledExecutorsTrialsAreRetriedAndEveryTrialLandsExactlyOnce() throws Exception {
        Path sweep = sweepFile("executor-kill", "family = [lstm], layers = [1], hidden = [64], "
                + "learning-rate = [0.005], batch-size = [50], iterations = [500], seed = [1, 2, 3, 4, 5, 6]", "");
        Path out = dir.resolve("executor-kill");
        ClusterHarness.Driver driver = cluster.submit(dir.resolve("executor-kill.log"), true, List.of(),
                "run", sweep.toString(), "--out", out.toString());
        List<Long> victim = new ArrayList<>();
        waitFor("an executor training a trial", 120, () -> {
            Optional<Long> pid = ClusterHarness.executorTraining();
            pid.ifPresent(victim::add);
            return pid.isPresent();
        });
        long rowsBeforeKill = leaderboardFiles(out);
        new ProcessBuilder("kill", "-KILL", Long.toString(victim.get(0))).start().waitFor();
        System.out.println("killed executor pid " + victim.get(0) + " with " + rowsBeforeKill + " trial(s) done");

        assertEquals(0, driver.await(600), "the sweep survives a lost executor");
        List<Row> rows = leaderboard(out, "trial_id, status, task_attempt");
        assertEquals(6, rows.size(), "one row per trial: " + rows);
        assertEquals(6, ids(rows).size(), "no trial twice: " + rows);
        assertTrue(rows.stream().allMatch(r -> r.getString(1).equals("ok")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.getInt(2) > 0), "a lost trial was re-run by Spark: " + rows);
    }

    @Test
    void aKilledDriverLosesNothingAndTheRerunTrainsOnlyWhatWasLeft() throws Exception {
        Path sweep = sweepFile("driver-kill", "family = [lstm], layers = [1], hidden = [64], "
                + "learning-rate = [0.005], batch-size = [50], iterations = [300], seed = [1, 2, 3, 4, 5, 6, 7, 8]", "");
        Path out = dir.resolve("driver-kill");
        ClusterHarness.Driver first = cluster.submit(dir.resolve("driver-kill-1.log"), true, List.of(),
                "run", sweep.toString(), "--out", out.toString());
        waitFor("a first trial in the leaderboard", 300, () -> leaderboardFiles(out) >= 1);
        first.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean-up
        Map<String, Object> before = new HashMap<>();
        leaderboard(out, "trial_id, finished_at").forEach(r -> before.put(r.getString(0), r.get(1)));
        int done = before.size();
        System.out.println("driver killed with " + done + " of 8 trials in the leaderboard");
        assertTrue(done >= 1 && done < 8, "killed mid-sweep: " + done);
        assertEquals(done, leaderboardFiles(out), "every row belongs to a different trial");

        ClusterHarness.Driver second = cluster.submit(dir.resolve("driver-kill-2.log"), true, List.of(),
                "run", sweep.toString(), "--out", out.toString());
        assertEquals(0, second.await(600));
        assertTrue(second.output().contains(done + " already in the leaderboard, " + (8 - done) + " to train"),
                second.output());
        List<Row> rows = leaderboard(out, "trial_id, finished_at, status");
        assertEquals(8, rows.size(), rows.toString());
        assertEquals(8, ids(rows).size(), "no trial twice");
        for (Row r : rows) {
            if (before.containsKey(r.getString(0))) {
                assertEquals(before.get(r.getString(0)), r.get(1), "rows from before the kill are intact");
            }
        }
        assertEquals(8 * 3, ClusterHarness.curvePoints(out), "each trial's curve (3 points) exactly once");
        assertEquals(8 * 3, ClusterHarness.rawCurvePoints(out), "and the raw files hold no orphan or doubled point");
    }

    @Test
    void deterministicFailuresAreRecordedOnceAndNeverRetriedAndASlowTrialTimesOut() throws Exception {
        Path sweep = sweepFile("doomed", "family = [rnn], activation = [relu], layers = [2], hidden = [32, 40000], "
                + "learning-rate = [10000, 0.005], batch-size = [50], iterations = [200], seed = [3]", "");
        Path out = dir.resolve("doomed");
        assertEquals(0, cluster.submit(dir.resolve("doomed.log"), true, List.of(),
                "run", sweep.toString(), "--out", out.toString()).await(300));
        List<Row> rows = leaderboard(out, "trial_id, hidden, learning_rate, status, error, task_attempt");
        assertEquals(4, rows.size(), rows.toString());
        for (Row r : rows) {
            String expected = r.getInt(1) == 40000 ? "failed" : r.getDouble(2) > 1 ? "diverged" : "ok";
            assertEquals(expected, r.getString(3), r.toString());
            if (expected.equals("failed")) {
                assertTrue(r.getString(4).contains("needs at least"), r.getString(4));
            }
            assertEquals(0, r.getInt(5), "the first attempt's own outcome, not a retry: " + r);
            assertEquals(1, ClusterHarness.starts(r.getString(0)), "trained exactly once: " + r);
        }

        Path slow = sweepFile("slow", "family = [lstm], layers = [1], hidden = [32], learning-rate = [0.005], "
                + "batch-size = [50], iterations = [10, 1000000], seed = [1]", ", time-limit = 8s");
        Path slowOut = dir.resolve("slow");
        assertEquals(0, cluster.submit(dir.resolve("slow.log"), true, List.of(),
                "run", slow.toString(), "--out", slowOut.toString()).await(300));
        Map<Integer, Row> byBudget = leaderboard(slowOut, "iterations, status, error, iterations_done, task_attempt")
                .stream().collect(Collectors.toMap(r -> r.getInt(0), r -> r));
        assertEquals("ok", byBudget.get(10).getString(1));
        Row timedOut = byBudget.get(1_000_000);
        assertEquals("timed-out", timedOut.getString(1), timedOut.toString());
        assertTrue(timedOut.getString(2).contains("time limit of 8 s"), timedOut.getString(2));
        assertTrue(timedOut.getInt(3) > 0 && timedOut.getInt(4) == 0, timedOut.toString());
    }

    @Test
    void twoSweepsAppendingToOneLeaderboardAtOnceLoseNothing() throws Exception {
        String space = "family = [rnn], layers = [1], hidden = [32], activation = [tanh], learning-rate = [0.005], "
                + "batch-size = [50], iterations = [200], seed = [1, 2, 3, 4, 5]";
        Path left = sweepFile("left", space, "");
        Path right = sweepFile("right", space, "");
        Path out = dir.resolve("shared");
        // Two cores each, so that both applications get executors and really write at the same time.
        List<String> half = List.of("--conf", "spark.cores.max=2");
        ClusterHarness.Driver a = cluster.submit(dir.resolve("left.log"), true, half,
                "run", left.toString(), "--out", out.toString());
        ClusterHarness.Driver b = cluster.submit(dir.resolve("right.log"), true, half,
                "run", right.toString(), "--out", out.toString());
        assertEquals(0, a.await(600));
        assertEquals(0, b.await(600));
        List<Row> rows = leaderboard(out, "trial_id, sweep, started_at, finished_at");
        assertEquals(10, rows.size(), rows.toString());
        assertEquals(5, rows.stream().filter(r -> r.getString(1).equals("left")).count());
        assertEquals(5, rows.stream().filter(r -> r.getString(1).equals("right")).count());
        assertEquals(10, rows.stream().map(r -> r.getString(1) + r.getString(0)).distinct().count());
        assertEquals(10 * 2, ClusterHarness.curvePoints(out), "every curve point, once");
        boolean overlapped = rows.stream().anyMatch(l -> l.getString(1).equals("left") && rows.stream()
                .anyMatch(r -> r.getString(1).equals("right")
                        && ((Timestamp) l.get(2)).before((Timestamp) r.get(3))
                        && ((Timestamp) r.get(2)).before((Timestamp) l.get(3))));
        assertTrue(overlapped, "the two sweeps trained at the same time");
    }

    @Test
    void fiftyTrialsInOneExecutorKeepItsMemoryFlat() throws Exception {
        Path sweep = dir.resolve("many.conf");
        Files.writeString(sweep, """
                sweep {
                  name = many
                  space { family = [lstm], layers = [1], hidden = [128], learning-rate = [0.001], batch-size = [100],
                          iterations = [6], seed = [%s] }
                  data { validation-size = 0, train-limit = 1000, test-limit = 200 }
                  train { eval-every = 6, eval-batch-size = 200 }
                }
                """.formatted(java.util.stream.IntStream.rangeClosed(1, 52).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "))));
        Path out = dir.resolve("many");
        // One executor with one core: all 52 trials in the same JVM, one after another.
        assertEquals(0, cluster.submit(dir.resolve("many.log"), true, List.of("--conf", "spark.cores.max=1",
                        "--conf", "spark.executor.cores=1"), "run", sweep.toString(), "--out", out.toString())
                .await(900));
        List<Row> rows = leaderboard(out, "executor_id, executor_heap_mb, executor_process_mb, started_at, status")
                .stream().sorted((x, y) -> ((Timestamp) x.get(3)).compareTo((Timestamp) y.get(3))).toList();
        assertEquals(52, rows.size());
        assertEquals(1, rows.stream().map(r -> r.getString(0)).distinct().count(), "one executor JVM");
        assertTrue(rows.stream().allMatch(r -> r.getString(4).equals("ok")));
        double[] heap = rows.stream().mapToDouble(r -> r.getDouble(1)).toArray();
        double[] process = rows.stream().mapToDouble(r -> r.getDouble(2)).toArray();
        System.out.printf("heap MiB after each trial: %s%nprocess MiB after each trial: %s%n",
                java.util.Arrays.toString(heap), java.util.Arrays.toString(process));
        // After a warm-up (JIT, dataset cache, first allocations), later trials must not add up: a leaked network
        // of this size (weights, Adam state, activations) would grow the process by several MiB per trial.
        double heapEarly = median(heap, 5, 15);
        double heapLate = median(heap, 42, 52);
        double processEarly = median(process, 5, 15);
        double processLate = median(process, 42, 52);
        assertTrue(heapLate - heapEarly < 32, "heap grew from " + heapEarly + " to " + heapLate + " MiB");
        assertTrue(processLate - processEarly < 100,
                "process grew from " + processEarly + " to " + processLate + " MiB");
    }

    private static double median(double[] values, int from, int to) {
        double[] part = java.util.Arrays.copyOfRange(values, from, to);
        java.util.Arrays.sort(part);
        return (part[(part.length - 1) / 2] + part[part.length / 2]) / 2;
    }
}
