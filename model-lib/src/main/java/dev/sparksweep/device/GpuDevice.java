package dev.sparksweep.device;

/**
 * One GPU as {@code nvidia-smi} lists it.
 *
 * @param index the device index, the address Spark's discovery script reports for it
 */
public record GpuDevice(int index, String name, int major, int minor) {

    public String computeCapability() {
        return major + "." + minor;
    }

    public String describe() {
        return "GPU " + index + " (" + name + ", compute capability " + computeCapability() + ")";
    }
}
