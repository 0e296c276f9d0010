package dev.sparksweep.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A trial stopped after some iteration, with everything needed to continue it exactly, in this JVM or another one
 * reading the same storage: the network with its parameters, updater state (Adam's moments, ...) and iteration count,
 * which drives learning-rate schedules; and the {@link TrainingState} (mini-batch order, shuffle and dropout random
 * generators, open loss window, divergence watch, the curve and results so far).
 *
 * <p>On disk, one zip file holding
 * <ul>
 *   <li>{@value #PROPERTIES_ENTRY}: {@code format} (the version, {@value #FORMAT_VERSION}) and, for people, the
 *       model, iteration, budget and data;</li>
 *   <li>{@value #STATE_ENTRY}: the {@link TrainingState}, Java-serialized (exact doubles, NaN included, and
 *       {@link java.util.Random}'s state, which has no other public form), read back through a filter that admits
 *       only sparksweep's and the JDK's basic classes;</li>
 *   <li>{@value #MODEL_ENTRY}: DL4J's own model file ({@code ModelSerializer} with the updater).</li>
 * </ul>
 * Written to a temporary file in the same folder, forced to disk and renamed over the target atomically, so a reader
 * sees the old checkpoint or the new one, never part of one, even when the writer dies half-way.
 */
public record Checkpoint(MultiLayerNetwork network, TrainingState state) {

    /** Version of the file layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String PROPERTIES_ENTRY = "checkpoint.properties";
    static final String STATE_ENTRY = "state.ser";
    static final String MODEL_ENTRY = "model.zip";

    /** What {@value #STATE_ENTRY} may contain: the state's records and enums, the JDK's lists, Random, primitives. */
    private static final String STATE_CLASSES =
            "maxdepth=16;maxrefs=100000;dev.sparksweep.**;java.util.*;java.lang.*;!*";

    /**
     * @throws IllegalArgumentException when the network is not the one the state describes: another iteration count
     *                                  or parameter count
     */
    public Checkpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(state, "state");
        if (network.getIterationCount() != state.iteration()) {
            throw new IllegalArgumentException("the network has done " + network.getIterationCount()
                    + " iterations, the training state " + state.iteration());
        }
        if (network.numParams() != state.parameterCount()) {
            throw new IllegalArgumentException("the network has " + network.numParams() + " parameters, the "
                    + "training state says " + state.parameterCount());
        }
    }

    /** Iterations done. */
    public int iteration() {
        return state.iteration();
    }

    /**
     * Writes this checkpoint to {@code file} atomically, replacing any file there; creates missing folders.
     *
     * @throws CheckpointException naming the file and the cause when it cannot be written (the target is then
     *                             unchanged and no temporary file is left behind)
     */
    public void write(Path file) {
        Path target = file.toAbsolutePath();
        // Hidden and unique: two writers of the same trial (a retried task) never share a temporary file.
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)))) {
                deflated(zip, PROPERTIES_ENTRY, properties());
                deflated(zip, STATE_ENTRY, serialized(state));
                // DL4J's file is a zip already, so deflating it gains little; but stored as is, its own end record
                // would show through, and a checkpoint cut just before its real end would open as DL4J's zip.
                // The fastest level costs a few ms per MB.
                zip.setLevel(Deflater.BEST_SPEED);
                deflated(zip, MODEL_ENTRY, model());
            }
            // On disk before the rename makes it visible: a crash must not leave a complete name on partial data.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new CheckpointException(file, "cannot be written: " + e, e);
        }
    }

    /**
     * Reads a checkpoint {@link #write} wrote, network included (ready to train on).
     *
     * @throws CheckpointException naming the file and what is wrong: missing, not a zip (truncated, damaged,
     *                             something else), an entry missing or damaged, another format version, or a network
     *                             and state that do not belong together
     */
    public static Checkpoint read(Path file) {
        if (!Files.exists(file)) {
            throw new CheckpointException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "not a regular file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            checkVersion(file, zip);
            TrainingState state = state(file, entry(file, zip, STATE_ENTRY));
            MultiLayerNetwork network = network(file, entry(file, zip, MODEL_ENTRY));
            try {
                return new Checkpoint(network, state);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, MODEL_ENTRY + " and " + STATE_ENTRY + " inside it do not belong "
                        + "together: " + e.getMessage(), e);
            }
        } catch (ZipException e) {
            throw new CheckpointException(file, "not a readable zip file (truncated, damaged or not a checkpoint): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e, e);
        }
    }

    /**
     * The iteration a checkpoint file was saved at, read from its properties alone (not the network).
     *
     * @throws CheckpointException when the file is missing, not a checkpoint of this format, or says no iteration
     */
    public static int iterationOf(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "no such file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Properties properties = checkVersion(file, zip);
            return Integer.parseInt(properties.getProperty("iteration", "").strip());
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, PROPERTIES_ENTRY + " inside it has no iteration", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "not a readable zip file (truncated, damaged or not a checkpoint): "
                    + e.getMessage(), e);
        }
    }

    private static Properties checkVersion(Path file, ZipFile zip) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(entry(file, zip, PROPERTIES_ENTRY), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(file, PROPERTIES_ENTRY + " inside it is damaged: " + e.getMessage(), e);
        }
        String format = properties.getProperty("format");
        if (!String.valueOf(FORMAT_VERSION).equals(format == null ? null : format.strip())) {
            throw new CheckpointException(file, format == null ? PROPERTIES_ENTRY + " inside it has no format version"
                    : "format version " + format.strip() + "; this sparksweep reads version " + FORMAT_VERSION
                    + " only");
        }
        return properties;
    }

    /** An entry's bytes; a missing entry, or one whose data is cut or fails its CRC, is a CheckpointException. */
    private static byte[] entry(Path file, ZipFile zip, String name) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException(file, "has no " + name + " (not a sparksweep checkpoint of format "
                    + FORMAT_VERSION + ")");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new CheckpointException(file, name + " inside it is damaged: " + e.getMessage(), e);
        }
        // ZipFile does not check an entry's CRC itself; a flipped bit in a stored entry would pass unnoticed.
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new CheckpointException(file, name + " inside it is damaged: its CRC-32 is "
                    + Long.toHexString(crc.getValue()) + ", the zip says " + Long.toHexString(entry.getCrc()));
        }
        return bytes;
    }

    private static TrainingState state(Path file, byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(STATE_CLASSES));
            return (TrainingState) in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            // A record whose constructor refuses the values (InvalidObjectException) lands here too.
            throw new CheckpointException(file, STATE_ENTRY + " inside it cannot be read: " + e, e);
        }
    }

    private static MultiLayerNetwork network(Path file, byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, MODEL_ENTRY + " inside it cannot be restored by DL4J: " + e, e);
        }
    }

    private byte[] properties() throws IOException {
        Properties properties = new Properties();
        properties.setProperty("format", String.valueOf(FORMAT_VERSION));
        properties.setProperty("model", state.model().describe());
        properties.setProperty("iteration", String.valueOf(state.iteration()));
        properties.setProperty("budget", String.valueOf(state.config().iterations()));
        properties.setProperty("data", state.data().describe());
        StringWriter text = new StringWriter();
        properties.store(text, "sparksweep training checkpoint: " + STATE_ENTRY + " is a Java-serialized "
                + TrainingState.class.getName() + ", " + MODEL_ENTRY + " DL4J's ModelSerializer file with its updater");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] serialized(TrainingState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        return bytes.toByteArray();
    }

    private byte[] model() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, bytes, true);
        return bytes.toByteArray();
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
