package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The data files of one results table, and what can be wrong with them. A table is a folder of Parquet files: one
 * {@code part-<commit>.parquet} per commit, and, once {@link Compaction} has run, {@code compact-<id>.parquet} files
 * whose footer names the files they replace (key {@value #REPLACES_KEY}). The table's rows are those of its
 * {@link #liveFiles}: every data file that no compacted file replaces, so a reader sees each row exactly once
 * whether it lists the folder before, during or after a compaction.
 *
 * <p>Names starting with {@code _} or {@code .} are hidden (staging and checksum files). Spark silently skips empty
 * files, which would drop a row without a word: {@link #requireNoEmptyFiles} refuses those before a read, and
 * {@link #damaged} reads every byte of every file for {@code leaderboard --check}.
 */
final class TableFiles {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    /** Footer key of a compacted file: the names of the files whose rows it holds, one per line. */
    static final String REPLACES_KEY = "sparksweep.replaces";
    static final String COMPACTED_PREFIX = "compact-";

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

    /** The status of one file of the table. */
    FileStatus status(Path file) {
        try {
            return fs.getFileStatus(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The files whose rows make the table: every data file that no compacted file replaces. */
    List<FileStatus> liveFiles() {
        List<FileStatus> all = dataFiles();
        Set<String> replaced = replaced(all);
        return all.stream().filter(f -> !replaced.contains(f.getPath().getName())).toList();
    }

    /** Whether any file of {@code files} is a compacted one. */
    static boolean anyCompacted(List<FileStatus> files) {
        return files.stream().anyMatch(TableFiles::isCompacted);
    }

    static boolean isCompacted(FileStatus file) {
        return file.getPath().getName().startsWith(COMPACTED_PREFIX);
    }

    /** The names the compacted files among {@code files} replace (whether or not those files still exist). */
    Set<String> replaced(List<FileStatus> files) {
        Set<String> replaced = new HashSet<>();
        for (FileStatus file : files) {
            if (isCompacted(file)) {
                replaced.addAll(replacedBy(file));
            }
        }
        return replaced;
    }

    /** The names one compacted file replaces, from its footer. */
    List<String> replacedBy(FileStatus compacted) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(compacted, conf))) {
            String names = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(REPLACES_KEY);
            if (names == null) {
                throw ResultsException.damaged(compacted.getPath(), "a compacted file without the list of the files"
                        + " it replaces (footer key " + REPLACES_KEY + ")");
            }
            return names.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ResultsException r) {
                throw r;
            }
            throw ResultsException.damaged(compacted.getPath(), "its footer cannot be read: " + firstLine(e));
        }
    }

    static boolean isDataFile(FileStatus file) {
        String name = file.getPath().getName();
        return file.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".");
    }

    /** Refuses a table holding an empty file: Spark would skip it and its rows would be gone without a word. */
    void requireNoEmptyFiles(List<FileStatus> files) {
        for (FileStatus file : files) {
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
