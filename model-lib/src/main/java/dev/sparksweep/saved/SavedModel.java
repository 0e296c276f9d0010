package dev.sparksweep.saved;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A trained network and its {@link ModelCard}, on disk as {@code NAME.zip} (DL4J's {@code ModelSerializer} file with
 * the updater state: plain DL4J reads it, and training can go on from it) and {@code NAME.json} beside it. The
 * project's fused recurrent layers are ordinary DL4J layer configurations, so they travel in DL4J's own JSON.
 *
 * <p>Both files are written to temporary names and renamed into place, the card last: a card names a complete model
 * file, and its SHA-256 lets {@link #read} refuse a model file that was damaged or replaced since.
 */
public record SavedModel(MultiLayerNetwork network, ModelCard card) {

    public SavedModel {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(card, "card");
    }

    /** The card's file for a model file: {@code NAME.json} beside {@code NAME.zip}. */
    public static Path cardOf(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
        return modelFile.resolveSibling(base + ".json");
    }

    /**
     * Writes the model and its card (with the model file's SHA-256) and returns the card as written; creates missing
     * folders, replaces files there.
     *
     * @throws ModelFileException naming the file when either cannot be written (nothing partial is left)
     */
    public ModelCard write(Path modelFile) {
        Path target = modelFile.toAbsolutePath();
        byte[] model;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, bytes, true);
            model = bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(target, "DL4J cannot serialise the network: " + e, e);
        }
        ModelCard written = card.withModelSha256(sha256(model));
        atomically(target, model);
        atomically(cardOf(target), written.toJson().getBytes(StandardCharsets.UTF_8));
        return written;
    }

    /**
     * Reads a model {@link #write} wrote, ready to predict with or to train on.
     *
     * @throws ModelFileException naming the file and what is wrong: missing; its card missing or unreadable; not a
     *                            zip, truncated or damaged (its SHA-256 is not the card's); not a DL4J model
     */
    public static SavedModel read(Path modelFile) {
        Path cardFile = cardOf(modelFile);
        byte[] model;
        String cardText;
        try {
            model = Files.readAllBytes(modelFile);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(modelFile, "no such model file");
        } catch (IOException e) {
            throw new ModelFileException(modelFile, "cannot be read: " + e, e);
        }
        try {
            cardText = Files.readString(cardFile);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(modelFile, "its model card " + cardFile.getFileName() + " is missing (a "
                    + "sparksweep model is saved with one; it says what data the model takes)");
        } catch (IOException e) {
            throw new ModelFileException(cardFile, "cannot be read: " + e, e);
        }
        ModelCard card = ModelCard.fromJson(cardText, cardFile);
        String digest = sha256(model);
        if (!digest.equals(card.modelSha256())) {
            throw new ModelFileException(modelFile, "damaged or replaced: its SHA-256 is " + digest + ", its card "
                    + cardFile.getFileName() + " records " + card.modelSha256() + " (" + model.length + " bytes"
                    + (isZip(model) ? "" : ", not a readable zip: truncated or not a model file") + ")");
        }
        try {
            return new SavedModel(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model), true),
                    card);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException(modelFile, "DL4J cannot restore a network from it: " + e, e);
        }
    }

    /** Whether every entry of {@code bytes} reads as a zip (ZipInputStream checks each entry's CRC). */
    private static boolean isZip(byte[] bytes) {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            int entries = 0;
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                zip.transferTo(java.io.OutputStream.nullOutputStream());
                entries++;
            }
            return entries > 0;
        } catch (IOException e) { // ZipException included
            return false;
        }
    }

    private static void atomically(Path target, byte[] bytes) {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ModelFileException(target, "cannot be written: " + e, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
