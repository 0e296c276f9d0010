package dev.sparksweep.model;

/**
 * Whether the JDK's incubating vector API ({@code --add-modules jdk.incubator.vector}, in conf/java17.options) is
 * there. Only then is {@link VectorGateKernels} loaded, so a JVM started without it still trains, more slowly.
 */
final class VectorSupport {

    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("sparksweep.scalarKernels");

    private VectorSupport() {
    }

    static GateKernels kernels() {
        return new VectorGateKernels();
    }

    /**
     * Which kernels train float networks in this JVM, for provenance. {@code fused-vector-exact}: with
     * {@link ReproducibleVectorMath}'s sigmoid and tanh (rows that say {@code fused-vector} were trained with the
     * vector API's intrinsics, which round differently before and after the JIT compiles them).
     */
    static String describe() {
        return AVAILABLE ? "fused-vector-exact" : "fused-scalar";
    }
}
