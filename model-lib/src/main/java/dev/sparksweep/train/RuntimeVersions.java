package dev.sparksweep.train;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of the code that trains, read from the jars actually loaded (not from what the build asked for). */
public final class RuntimeVersions {

    private static final String SPARKSWEEP = "/dev/sparksweep/sparksweep.properties";

    private RuntimeVersions() {
    }

    /**
     * The version and the commit it was built from, {@code 0.1.0-SNAPSHOT+3f2a9c1b7e}, with {@code .dirty} when the
     * working tree had changes not committed; without a commit when the build had no git repository.
     */
    public static String sparksweep() {
        String version = property(SPARKSWEEP, "version");
        String commit = property(SPARKSWEEP, "commit");
        if (commit.equals("unknown") || commit.startsWith("${")) {
            return version;
        }
        return version + "+" + commit + (property(SPARKSWEEP, "dirty").equals("true") ? ".dirty" : "");
    }

    public static String dl4j() {
        return property("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties", "version");
    }

    public static String nd4j() {
        return property("/META-INF/maven/org.nd4j/nd4j-api/pom.properties", "version");
    }

    /** The ND4J backend in use, e.g. {@code CpuBackend}, the native build's platform and the recurrent kernels. */
    public static String backend() {
        String backend;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (ND4J could not start a backend)";
        }
        String platform = System.getProperty("org.bytedeco.javacpp.platform",
                System.getProperty("os.name").toLowerCase().replace(' ', '-') + "-" + System.getProperty("os.arch"));
        return backend + " " + platform + " " + dev.sparksweep.model.NetworkFactory.kernels();
    }

    private static String property(String resource, String key) {
        try (InputStream in = RuntimeVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
