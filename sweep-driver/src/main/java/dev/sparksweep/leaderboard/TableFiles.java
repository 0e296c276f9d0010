package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The data files of one results table, and what can be wrong with them. Spark reads every visible {@code .parquet}
 * file of a table folder (names starting with {@code _} or {@code .} are hidden: staging and checksum files), and
 * silently skips empty ones, which would drop a row without a word: {@link #requireNoEmptyFiles} refuses those before a
 * read, and {@link #damaged} reads every byte of every file for {@code leaderboard --check}.
 */
final class TableFiles {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final FileSystem fs;
    private final Path dir;
    private final Configuration conf;

    TableFiles(Configuration conf, Path dir) {
        this.conf = conf;
        this.dir = dir;
        try {
            this.fs = dir.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The table's data files, by name; empty when the folder does not exist. */
    List<FileStatus> dataFiles() {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            if (!fs.getFileStatus(dir).isDirectory()) {
                throw new ResultsException(dir + " should be a folder of Parquet files but is a file");
            }
            return Arrays.stream(fs.listStatus(dir)).filter(TableFiles::isDataFile)
                    .sorted(Comparator.comparing(f -> f.getPath().getName())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isDataFile(FileStatus file) {
        String name = file.getPath().getName();
        return file.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".");
    }

    /** Refuses a table holding an empty file: Spark would skip it and its rows would be gone without a word. */
    void requireNoEmptyFiles() {
        for (FileStatus file : dataFiles()) {
            if (file.getLen() == 0) {
                throw ResultsException.damaged(file.getPath(), "it is empty (0 bytes)");
            }
        }
    }

    /** Every data file that cannot be read whole, with what is wrong with it. */
    List<DamagedFile> damaged() {
        List<DamagedFile> damaged = new ArrayList<>();
        for (FileStatus file : dataFiles()) {
            problem(file).ifPresent(why -> damaged.add(new DamagedFile(file.getPath().toString(), why)));
        }
        return damaged;
    }

    /** What is wrong with one file: empty, no Parquet footer, a checksum or decoding error; empty if nothing. */
    Optional<String> problem(FileStatus file) {
        if (file.getLen() == 0) {
            return Optional.of("empty (0 bytes)");
        }
        if (file.getLen() < 12) {
            return Optional.of("too short for a Parquet file (" + file.getLen() + " bytes)");
        }
        try (FSDataInputStream in = fs.open(file.getPath())) {
            byte[] head = new byte[4];
            byte[] tail = new byte[4];
            in.readFully(0, head);
            in.readFully(file.getLen() - 4, tail);
            if (!Arrays.equals(head, MAGIC) || !Arrays.equals(tail, MAGIC)) {
                return Optional.of("not a whole Parquet file (no PAR1 marker at its "
                        + (Arrays.equals(head, MAGIC) ? "end: truncated, or bytes appended" : "start") + ")");
            }
        } catch (IOException e) {
            return Optional.of(firstLine(e));
        }
        // Reading every record decodes every page and, on checksummed file systems, verifies every byte.
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file.getPath())
                .withConf(conf).build()) {
            while (reader.read() != null) {
                // read to the end
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(firstLine(e));
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
