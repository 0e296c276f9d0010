package dev.sparksweep.cluster;

import dev.sparksweep.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep on a real Spark standalone cluster: a master and two workers on loopback, started by
 * {@code cluster/standalone.sh} from the packaged jars, executors in their own JVMs. The same sweep file as in local
 * mode, run unchanged.
 */
class StandaloneClusterIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path CLUSTER = ROOT.resolve("sweep-driver/target/it-cluster");
    private static String master;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String out = script("start", "--workers", "2", "--cores", "1", "--memory", "2g");
        master = out.lines().filter(l -> l.startsWith("spark://")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master URL in: " + out));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("stop");
    }

    private static String script(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("cluster/standalone.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SPARKSWEEP_CLUSTER_DIR", CLUSTER.toString());
        pb.environment().put("SPARKSWEEP_MASTER_PORT", Integer.toString(port));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("standalone.sh " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    @Test
    void aSweepRunsOnExecutorsOfARealClusterAndLandsInTheLeaderboard() throws IOException {
        Path sweep = dir.resolve("cluster.conf");
        Files.writeString(sweep, """
                sweep {
                  name = on-cluster
                  space { family = [rnn, lstm, gru], layers = [1], hidden = [16], activation = [tanh],
                          learning-rate = [0.005], batch-size = [50], iterations = [30], seed = [7] }
                  data { validation-size = 500, train-limit = 2000, test-limit = 500 }
                  train { eval-every = 15, eval-batch-size = 250 }
                }
                """);
        Path out = dir.resolve("results");
        Path jar = ROOT.resolve("sweep-driver/target/sweep-driver-0.1.0-SNAPSHOT.jar");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"run", sweep.toString(), "--master", master, "--out", out.toString(),
                        "-Dsparksweep.spark.conf.\"spark.jars\"=\"" + jar + "\"",
                        "-Dsparksweep.spark.conf.\"spark.executor.memory\"=1g"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true,
                        StandardCharsets.UTF_8));
        String text = stdout.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, exit, stderr.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("2 at a time on " + master), text);

        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("check")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            List<Row> rows = spark.read().parquet(out.resolve("leaderboard").toString())
                    .select("status", "executor_id", "backend").collectAsList();
            assertEquals(3, rows.size());
            assertTrue(rows.stream().allMatch(r -> r.getString(0).equals("ok")), rows.toString());
            Set<String> executors = rows.stream().map(r -> r.getString(1)).collect(Collectors.toSet());
            assertTrue(!executors.contains("driver") && !executors.isEmpty(), "trained on executors: " + executors);
            assertTrue(rows.stream().allMatch(r -> r.getString(2).contains("fused-vector")),
                    "executors got the vector API: " + rows);
        }
    }
}
