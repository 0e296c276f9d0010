package dev.sparksweep.device;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Binds the calling thread's ND4J to the GPU Spark assigned the trial's task, before the network is built. With the
 * CPU backend the binding is a logged no-op; with the CUDA backend the GPU is first checked against
 * {@link CudaBuild}, without initialising CUDA on it.
 */
public final class DeviceBinding {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceBinding.class);
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    private final String nvidiaSmi;

    /**
     * @param nvidiaSmi command that lists the GPUs (see {@link GpuInventory})
     */
    public DeviceBinding(String nvidiaSmi) {
        this.nvidiaSmi = nvidiaSmi;
    }

    /**
     * @param gpuAddresses the addresses of the task's {@code gpu} resource (empty when it holds none); a trial uses
     *                     the first
     * @throws UnsupportedGpuException when the GPU cannot run the CUDA build
     */
    public DeviceAssignment bind(List<String> gpuAddresses) {
        if (gpuAddresses.isEmpty()) {
            return new DeviceAssignment(null, activeDevice());
        }
        String address = gpuAddresses.get(0);
        if (!packaged(CUDA_BACKEND)) {
            LOG.info("the task holds GPU {} but this executor runs ND4J's CPU backend: nothing to bind", address);
            return new DeviceAssignment(address, "cpu (GPU " + address + " assigned, CPU backend)");
        }
        int index;
        try {
            index = Integer.parseInt(address.strip());
        } catch (NumberFormatException e) {
            throw new UnsupportedGpuException("GPU address '" + address + "' is not a device index; the discovery "
                    + "script must report nvidia-smi indices (cluster/gpu-discovery.sh does)");
        }
        Optional<GpuDevice> gpu = describe(index);
        if (gpu.isPresent() && !CudaBuild.runsOn(gpu.get())) {
            // ND4J picks its backend once per JVM, by environment variables only: the trial cannot switch to the CPU.
            throw new UnsupportedGpuException(CudaBuild.unsupported(gpu.get()));
        }
        backendName();
        Nd4j.getAffinityManager().unsafeSetDevice(index);
        String device = "cuda:" + index + gpu.map(g -> " " + g.name() + " (" + g.computeCapability() + ")").orElse("");
        LOG.info("trial bound to {}", device);
        return new DeviceAssignment(address, device);
    }

    private Optional<GpuDevice> describe(int index) {
        try {
            return GpuInventory.query(nvidiaSmi).stream().filter(g -> g.index() == index).findFirst();
        } catch (RuntimeException e) {
            // Without nvidia-smi the check is skipped; CUDA then reports an unusable GPU itself.
            LOG.warn("cannot check GPU {} before binding: {}", index, e.getMessage());
            return Optional.empty();
        }
    }

    /** The device a trial without a GPU resource computes on. */
    static String activeDevice() {
        String backend = backendName();
        return backend.equals(CUDA_BACKEND) ? "cuda:" + Nd4j.getAffinityManager().getDeviceForCurrentThread()
                : "cpu";
    }

    /** The class of ND4J's backend, starting it if needed; a backend that cannot start is named with what to do. */
    static String backendName() {
        try {
            return Nd4j.getBackend().getClass().getName();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UnsupportedGpuException("ND4J could not start its " + (packaged(CUDA_BACKEND) ? "CUDA" : "CPU")
                    + " backend on this executor: " + cause.getMessage() + (packaged(CUDA_BACKEND)
                    ? ". The gpu build needs an NVIDIA driver (libcuda.so.1) and CUDA 11 libraries on every executor "
                    + "(or a build with -Pcuda-redist); run CPU-only executors with the default build" : ""));
        }
    }

    static boolean packaged(String className) {
        try {
            Class.forName(className, false, DeviceBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A trial holds a GPU it cannot use: the same on every attempt, so recorded as failed rather than retried. */
    public static final class UnsupportedGpuException extends IllegalStateException {
        public UnsupportedGpuException(String message) {
            super(message);
        }
    }
}
