package dev.sparksweep.device;

import java.io.Serializable;

/**
 * Where a trial trained.
 *
 * @param gpuAddress the GPU address Spark assigned the trial's task, {@code null} when it held none
 * @param device     what actually computed, e.g. {@code cpu}, {@code cuda:1 NVIDIA A100-SXM4-80GB (8.0)}, or
 *                   {@code cpu (GPU 1 assigned, CPU backend)}
 */
public record DeviceAssignment(String gpuAddress, String device) implements Serializable {
}
