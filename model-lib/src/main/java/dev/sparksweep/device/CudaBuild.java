package dev.sparksweep.device;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the CUDA build of ND4J that the {@code gpu} profile packages can run. {@code nd4j-cuda-11.6 1.0.0-M2.1}'s
 * {@code libnd4jcuda.so} carries machine code for the architectures below and no PTX (read from its fatbin headers
 * by {@code cluster/cuda-archs.py}), so a GPU runs it only if one of them has the GPU's major version and a minor
 * version no higher than the GPU's: CUDA's rule for binary compatibility.
 */
public final class CudaBuild {

    public static final String ARTIFACT = "nd4j-cuda-11.6 1.0.0-M2.1";
    /** Compute capabilities compiled into the build, as major * 10 + minor. */
    public static final List<Integer> ARCHITECTURES = List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    private CudaBuild() {
    }

    public static boolean runsOn(GpuDevice gpu) {
        return ARCHITECTURES.stream().anyMatch(a -> a / 10 == gpu.major() && a % 10 <= gpu.minor());
    }

    /** Why {@code gpu} cannot be used and what to do instead. */
    public static String unsupported(GpuDevice gpu) {
        return gpu.describe() + " cannot run ND4J's CUDA build " + ARTIFACT + ": its kernels are compiled for "
                + "compute capabilities " + ARCHITECTURES.stream().map(a -> a / 10 + "." + a % 10)
                .collect(Collectors.joining(", ")) + " only, with no PTX that a newer GPU could compile (Hopper "
                + "H100/H200 are 9.0, Blackwell 10.x and 12.x). Run this sweep on GPUs of compute capability 3.7 to "
                + "8.9 (K80, P100, V100, T4, A100, A10, L4, RTX 20xx-40xx), or on CPU executors (the default build, "
                + "without -Pgpu).";
    }
}
