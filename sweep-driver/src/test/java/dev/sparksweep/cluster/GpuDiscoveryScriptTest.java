package dev.sparksweep.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cluster/gpu-discovery.sh}, the script Spark runs to find a worker's GPUs, against stand-ins for nvidia-smi. */
class GpuDiscoveryScriptTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("cluster/gpu-discovery.sh");

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private Result discover(String nvidiaSmi) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString());
        pb.environment().put("NVIDIA_SMI", nvidiaSmi);
        Path err = dir.resolve("stderr");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out.strip(), Files.readString(err));
    }

    private Path smi(String body) throws IOException {
        Path file = dir.resolve("nvidia-smi-" + body.hashCode());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void printsSparksResourceJsonWithNvidiaSmiIndices() throws Exception {
        Result r = discover(smi("echo 0; echo 1; echo 3; echo 'a warning nobody asked for' >&2").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"3\"]}", r.out());
    }

    @Test
    void noGpusIsAnEmptyListAndAFailingDriverIsAnErrorThatSaysWhy() throws Exception {
        assertEquals("{\"name\":\"gpu\",\"addresses\":[]}", discover(smi("true").toString()).out());
        Result broken = discover(smi("echo 'NVIDIA-SMI has failed' >&2; exit 9").toString());
        assertEquals(1, broken.exit());
        assertTrue(broken.err().contains("NVIDIA-SMI has failed"), broken.err());
        Result missing = discover(dir.resolve("absent").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("not found"), missing.err());
        Result odd = discover(smi("echo 'No devices were found'").toString());
        assertEquals(1, odd.exit());
        assertTrue(odd.err().contains("unexpected line"), odd.err());
    }
}
