package dev.sparksweep.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of the command line for the tests: in this JVM with its output captured, or as a separate driver JVM (to
 * be killed) on this test's classpath.
 */
record CliRun(int exit, String out, String err) {

    /** Runs {@code sparksweep args...} here; standard output is echoed to the test log. */
    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        System.out.print(o);
        return new CliRun(exit, o, err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code sparksweep args...} as its own driver JVM, its output going to {@code log}. */
    static Process driver(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g", "@" + Path.of("..", "conf", "java17.options").toAbsolutePath().normalize(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** The error output is one line, with no stack trace. */
    void oneLine() {
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("sparksweep: "), err);
    }

    /** How many data files a results table holds (one per commit until compacted); 0 before it exists. */
    static long partFiles(java.nio.file.Path table) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(table)) {
            return 0;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(table)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-")).count();
        }
    }
}
