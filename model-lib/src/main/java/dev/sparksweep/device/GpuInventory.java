package dev.sparksweep.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's GPUs and their compute capabilities, read with {@code nvidia-smi} rather than through ND4J: a CUDA
 * build that cannot serve a GPU must be detected before it is initialised on it.
 */
public final class GpuInventory {

    /** {@code nvidia-smi} arguments whose output {@link #parse} reads. */
    public static final List<String> QUERY = List.of("--query-gpu=index,name,compute_cap", "--format=csv,noheader");

    private GpuInventory() {
    }

    /**
     * Runs {@code nvidiaSmi} (a command on the PATH or a path).
     *
     * @throws IllegalStateException when it cannot run or reports an error, with what it printed
     */
    public static List<GpuDevice> query(String nvidiaSmi) {
        List<String> command = new ArrayList<>(List.of(nvidiaSmi));
        command.addAll(QUERY);
        Path output = null;
        try {
            // Output goes to a file so that the time limit holds even when a wedged driver never closes the pipe.
            output = Files.createTempFile("nvidia-smi", ".txt");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(nvidiaSmi + " did not answer within 30 s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(nvidiaSmi + " exited with " + p.exitValue() + ": " + text.strip());
            }
            return parse(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + nvidiaSmi + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + nvidiaSmi, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** Parses lines such as {@code 0, NVIDIA A100-SXM4-80GB, 8.0}. */
    public static List<GpuDevice> parse(String csv) {
        List<GpuDevice> devices = new ArrayList<>();
        for (String line : csv.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int first = line.indexOf(',');
            int last = line.lastIndexOf(',');
            if (first < 0 || first == last) {
                throw new IllegalArgumentException("unexpected nvidia-smi line (want index, name, compute_cap): "
                        + line);
            }
            String[] capability = line.substring(last + 1).strip().split("\\.");
            try {
                devices.add(new GpuDevice(Integer.parseInt(line.substring(0, first).strip()),
                        line.substring(first + 1, last).strip(), Integer.parseInt(capability[0]),
                        capability.length > 1 ? Integer.parseInt(capability[1]) : 0));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected nvidia-smi line (want index, name, compute_cap): "
                        + line, e);
            }
        }
        return devices;
    }
}
