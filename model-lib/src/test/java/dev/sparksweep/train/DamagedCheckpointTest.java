package dev.sparksweep.train;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static dev.sparksweep.train.CheckpointFixture.CONFIG;
import static dev.sparksweep.train.CheckpointFixture.GRU;
import static dev.sparksweep.train.CheckpointFixture.assertNames;
import static dev.sparksweep.train.CheckpointFixture.resume;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every way a checkpoint file can be unreadable (missing, cut short, noise, damaged entries, another format) is
 * refused with a {@link CheckpointException} naming the file and what is wrong, by {@link Checkpoint#read} and by a
 * segment resuming from it; never a bare IOException or NullPointerException.
 */
class DamagedCheckpointTest {

    /** A good checkpoint, which each test copies and damages. */
    private static Path good;

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void writeOne() {
        good = shared.resolve("good.zip");
        CheckpointFixture.write(good);
    }

    @Test
    void aMissingCheckpointIsRefusedByName() {
        Path missing = dir.resolve("never-written.zip");
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(missing)), missing,
                "no such file");
        assertNames(assertThrows(CheckpointException.class, () -> resume(GRU, CONFIG, missing, 20)), missing,
                "no such file");
    }

    @Test
    void aTruncatedCheckpointIsRefusedByName() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        for (int length : new int[]{bytes.length - 1, bytes.length / 2, 10, 0}) {
            Path truncated = dir.resolve("truncated-" + length + ".zip");
            Files.write(truncated, Arrays.copyOf(bytes, length));
            assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(truncated)), truncated,
                    "not a readable zip file");
            assertNames(assertThrows(CheckpointException.class, () -> resume(GRU, CONFIG, truncated, 20)),
                    truncated, "not a readable zip file");
        }
    }

    @Test
    void garbageIsRefusedByName() throws IOException {
        Path garbage = dir.resolve("garbage.zip");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Files.write(garbage, noise);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(garbage)), garbage,
                "not a readable zip file");

        // A zip, but not a checkpoint.
        Path otherZip = dir.resolve("other.zip");
        rewrite(good, otherZip, (name, content) -> name.equals(Checkpoint.STATE_ENTRY) ? null : content);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(otherZip)), otherZip,
                "has no state.ser");

        // The right entries with damaged contents: the state, and the model's bytes behind a valid CRC.
        Path badState = dir.resolve("bad-state.zip");
        rewrite(good, badState, (name, content) -> name.equals(Checkpoint.STATE_ENTRY)
                ? "not serialized".getBytes(StandardCharsets.UTF_8) : content);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(badState)), badState,
                "state.ser inside it cannot be read");
        // Only sparksweep's records and basic JDK classes deserialize: anything else is refused, not instantiated.
        Path foreign = dir.resolve("foreign-state.zip");
        rewrite(good, foreign, (name, content) -> name.equals(Checkpoint.STATE_ENTRY)
                ? serialized(new File("/etc/passwd")) : content);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(foreign)), foreign,
                "filter status: REJECTED");
        Path badModel = dir.resolve("bad-model.zip");
        rewrite(good, badModel, (name, content) -> name.equals(Checkpoint.MODEL_ENTRY)
                ? Arrays.copyOf(content, content.length / 2) : content);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(badModel)), badModel,
                "model.zip inside it cannot be restored");
    }

    @Test
    void bytesFlippedInsideTheFileAreCaughtByTheEntriesCrc() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        // Inside model.zip (the last and by far the largest entry), away from every zip header.
        int middle = bytes.length - bytes.length / 4;
        bytes[middle] ^= 0x55;
        Path flipped = dir.resolve("flipped.zip");
        Files.write(flipped, bytes);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(flipped)), flipped,
                "model.zip inside it is damaged");
    }

    @Test
    void anotherFormatVersionIsRefused() throws IOException {
        Path future = dir.resolve("future.zip");
        rewrite(good, future, (name, content) -> name.equals(Checkpoint.PROPERTIES_ENTRY)
                ? new String(content, StandardCharsets.UTF_8).replace("format=1", "format=2")
                .getBytes(StandardCharsets.UTF_8) : content);
        assertNames(assertThrows(CheckpointException.class, () -> Checkpoint.read(future)), future,
                "format version 2; this sparksweep reads version 1 only");
    }

    @Test
    void anUneditedRewriteStaysReadableSoTheEditsAloneAreRefused() throws IOException {
        Path copy = dir.resolve("copy.zip");
        rewrite(good, copy, (name, content) -> content);
        Checkpoint original = Checkpoint.read(good);
        Checkpoint copied = Checkpoint.read(copy);
        assertArrayEquals(original.network().params().data().asFloat(), copied.network().params().data().asFloat());
        assertEquals(original.state().curve(), copied.state().curve());
    }

    private static byte[] serialized(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What {@link #rewrite} does to an entry: its new content, or null to leave it out. */
    private interface EntryEdit {
        byte[] apply(String name, byte[] content);
    }

    /** Copies the zip {@code from} to {@code to}, entry by entry, through {@code edit}. */
    private static void rewrite(Path from, Path to, EntryEdit edit) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
             OutputStream file = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] content;
                try (InputStream data = in.getInputStream(entry)) {
                    content = edit.apply(entry.getName(), data.readAllBytes());
                }
                if (content != null) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(content);
                    out.closeEntry();
                }
            }
        }
    }
}
