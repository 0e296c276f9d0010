package dev.sparksweep.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceBindingTest {

    @TempDir
    Path dir;

    @Test
    void parsesNvidiaSmiListings() {
        List<GpuDevice> gpus = GpuInventory.parse("""
                0, NVIDIA A100-SXM4-80GB, 8.0
                1, NVIDIA H200, 9.0
                2, Tesla K80, 3.7
                """);
        assertEquals(List.of(new GpuDevice(0, "NVIDIA A100-SXM4-80GB", 8, 0), new GpuDevice(1, "NVIDIA H200", 9, 0),
                new GpuDevice(2, "Tesla K80", 3, 7)), gpus);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuInventory.parse("0, NVIDIA A100, [N/A]"));
        assertTrue(e.getMessage().contains("0, NVIDIA A100, [N/A]"), e.getMessage());
    }

    @Test
    void theCudaBuildRunsOnGpusUpToAdaButNotOnHopper() {
        assertTrue(CudaBuild.runsOn(gpu(3, 7)));
        assertTrue(CudaBuild.runsOn(gpu(7, 5)));
        assertTrue(CudaBuild.runsOn(gpu(8, 6)));
        assertTrue(CudaBuild.runsOn(gpu(8, 9)), "sm_86 machine code runs on 8.9");
        assertFalse(CudaBuild.runsOn(gpu(3, 5)), "sm_37 code needs at least 3.7");
        assertFalse(CudaBuild.runsOn(gpu(9, 0)));
        assertFalse(CudaBuild.runsOn(gpu(12, 0)));
        String why = CudaBuild.unsupported(new GpuDevice(1, "NVIDIA H200", 9, 0));
        assertTrue(why.startsWith("GPU 1 (NVIDIA H200, compute capability 9.0) cannot run ND4J's CUDA build"), why);
        assertTrue(why.contains("8.6") && why.contains("CPU executors"), why);
    }

    @Test
    void queriesGpusThroughNvidiaSmiAndReportsItsFailures() throws IOException {
        Path smi = script("nvidia-smi", """
                #!/bin/sh
                [ "$1" = "--query-gpu=index,name,compute_cap" ] || { echo "bad args: $*"; exit 3; }
                echo "0, Fake GPU A, 8.6"
                echo "1, Fake GPU B, 9.0"
                """);
        assertEquals(List.of(new GpuDevice(0, "Fake GPU A", 8, 6), new GpuDevice(1, "Fake GPU B", 9, 0)),
                GpuInventory.query(smi.toString()));
        Path broken = script("broken-smi", """
                #!/bin/sh
                echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
                exit 9
                """);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GpuInventory.query(broken.toString()));
        assertTrue(e.getMessage().contains("exited with 9") && e.getMessage().contains("NVIDIA driver"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> GpuInventory.query(dir.resolve("missing").toString()));
    }

    @Test
    void withTheCpuBackendAnAssignedGpuIsRecordedAndBindingIsANoOp() {
        assertFalse(DeviceBinding.packaged(DeviceBinding.CUDA_BACKEND), "this build runs ND4J's CPU backend");
        // nvidia-smi is not even consulted: a missing one must not matter.
        DeviceBinding binding = new DeviceBinding(dir.resolve("no-nvidia-smi").toString());
        assertEquals(new DeviceAssignment("1", "cpu (GPU 1 assigned, CPU backend)"), binding.bind(List.of("1")));
        assertEquals(new DeviceAssignment(null, "cpu"), binding.bind(List.of()));
    }

    private static GpuDevice gpu(int major, int minor) {
        return new GpuDevice(0, "test", major, minor);
    }

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
