package dev.sparksweep.train;

import org.bytedeco.javacpp.Pointer;

import java.io.Serializable;

/**
 * Memory of this JVM after a trial, recorded with every result so that a long-lived executor's growth is visible in
 * the leaderboard.
 *
 * @param heapUsedBytes  Java heap in use after a full collection
 * @param processBytes   resident size of the whole process (heap, ND4J's native buffers, code), as JavaCPP reads it
 */
public record MemoryUsage(long heapUsedBytes, long processBytes) implements Serializable {

    public static final MemoryUsage UNKNOWN = new MemoryUsage(-1, -1);

    /**
     * Collects garbage (which also frees the native buffers of unreachable ND4J arrays) and then measures. A full
     * collection costs tens of milliseconds, small against a trial.
     */
    public static MemoryUsage afterCollection() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return new MemoryUsage(runtime.totalMemory() - runtime.freeMemory(), Pointer.physicalBytes());
    }
}
