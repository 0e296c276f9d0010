package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rewrites a results table's many small files (one per commit) into one, without a reader ever missing or doubling a
 * row, and alongside drivers that keep appending:
 * <ol>
 *   <li>the rows of the table's live files (those under {@link #TARGET_BYTES}) are streamed into one new file under
 *       {@code _staging/}, whose footer lists the files it replaces ({@link TableFiles#REPLACES_KEY});</li>
 *   <li>renaming it into the table as {@code compact-<id>.parquet} is the commit: from then on readers skip the files
 *       it replaces ({@link TableFiles#liveFiles}); appends that land meanwhile are new files it does not replace;</li>
 *   <li>replaced files are deleted only once the compacted file is older than the grace period, so a reader that
 *       listed the table before the commit can still open them (a file is deleted before the compacted files that
 *       replace it are, so a deletion cut short never brings rows back twice).</li>
 * </ol>
 * One compaction at a time per results folder (a lock file, taken over when older than {@link #STALE_LOCK}: its
 * compactor died). A compaction killed at any point leaves the table readable and complete: before the rename nothing
 * changed; after it, the replaced files are skipped and deleted by the next compaction.
 */
public final class Compaction {

    private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

    static final String LOCK = "_compaction.lock";
    /** A lock this old belongs to a compaction that died: a live one finishes long before. */
    static final Duration STALE_LOCK = Duration.ofMinutes(30);
    /**
     * Files at least this big are left as they are: a compaction merges the small files and compacted files still
     * below this, so it never rewrites a grown table whole (about 70,000 leaderboard rows, or 600,000 curve
     * points, fill one).
     */
    static final long TARGET_BYTES = 16L << 20;
    /** Files read ahead of the writer: bounds the rows held in memory. */
    private static final int READ_WINDOW = 512;

    /** What compacting one table did. */
    public record Result(String table, int filesBefore, int filesAfter, long rows, int deleted) {
    }

    private final Configuration conf;
    private final Path root;
    private final Duration grace;

    /** @param grace how long replaced files stay readable for readers that listed the table before the commit */
    public Compaction(Configuration conf, String root, Duration grace) {
        this.conf = conf;
        this.root = new Path(root);
        this.grace = grace;
    }

    /**
     * Compacts every table that has at least {@code minFiles} small live files, and deletes the replaced files whose
     * grace period is over.
     *
     * @throws ResultsException when another compaction holds the lock, or the folder cannot be written
     */
    public List<Result> compact(int minFiles) {
        FileSystem fs = fileSystem();
        Path lock = new Path(root, LOCK);
        take(fs, lock);
        try {
            // First the commits a killed driver left half-published: recovery tells a committed one by its primary
            // file, which this compaction may replace, and a later one delete (after its grace) with the evidence.
            new ResultsCommitter(conf, root).recover(LeaderboardStore.ABANDONED_STAGING);
            List<Result> results = new ArrayList<>();
            for (String table : LeaderboardStore.TABLES) {
                results.add(compact(fs, table, LeaderboardSchema.of(table), Math.max(2, minFiles)));
            }
            return results;
        } finally {
            try {
                fs.delete(lock, false);
            } catch (IOException e) {
                LOG.warn("could not remove the compaction lock {}: {}", lock, e.toString());
            }
        }
    }

    private Result compact(FileSystem fs, String table, StructType schema, int minFiles) {
        TableFiles files = new TableFiles(conf, new Path(root, table));
        List<FileStatus> live = files.liveFiles();
        List<FileStatus> small = live.stream().filter(f -> f.getLen() < TARGET_BYTES).toList();
        long rows = 0;
        if (small.size() >= minFiles) {
            files.requireNoEmptyFiles(small);
            String id = UUID.randomUUID().toString();
            Path staged = new Path(new Path(new Path(root, ResultsCommitter.STAGING), TableFiles.COMPACTED_PREFIX + id),
                    table + ".parquet");
            try {
                rows = copy(small, staged, schema, String.join("\n", small.stream().map(f -> f.getPath().getName())
                        .toList()));
                Path target = new Path(files.dir(), TableFiles.COMPACTED_PREFIX + id + ".parquet");
                if (!fs.rename(staged, target)) {
                    throw new IOException("could not rename " + staged + " to " + target);
                }
                fs.delete(staged.getParent(), true);
                LOG.info("compacted {} files of {} ({} rows) into {}", small.size(), table, rows, target);
            } catch (IOException e) {
                throw new ResultsException("cannot compact " + files.dir() + ": " + e.getMessage(), e);
            }
        }
        int deleted = collectGarbage(fs, files);
        return new Result(table, live.size(), files.liveFiles().size(), rows, deleted);
    }

    /**
     * Streams the rows of {@code sources} into {@code target} in {@code schema}; returns how many. Small files cost
     * mostly opening them, so they are read a window at a time on all cores, and written in order by this thread.
     */
    private long copy(List<FileStatus> sources, Path target, StructType schema, String replaces) throws IOException {
        long rows = 0;
        GroupCopier copier = new GroupCopier(schema);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService readers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "compaction-reader");
            t.setDaemon(true);
            return t;
        });
        try (ParquetWriter<Group> writer = ParquetRowWriter.writer(conf, target, schema, java.util.Map.of(
                TableFiles.REPLACES_KEY, replaces))) {
            for (int from = 0; from < sources.size(); from += READ_WINDOW) {
                List<Future<List<Group>>> window = new ArrayList<>();
                for (FileStatus source : sources.subList(from, Math.min(sources.size(), from + READ_WINDOW))) {
                    window.add(readers.submit(() -> read(source, copier)));
                }
                for (Future<List<Group>> rowsOfFile : window) {
                    for (Group g : rowsOfFile.get()) {
                        writer.write(g);
                        rows++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("compaction interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResultsException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } finally {
            readers.shutdownNow();
        }
        return rows;
    }

    /** One file's rows in the table's layout. */
    private List<Group> read(FileStatus source, GroupCopier copier) {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), source.getPath())
                .withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows.add(copier.copy(g));
            }
        } catch (IOException | RuntimeException e) {
            throw ResultsException.damaged(source.getPath(), "it cannot be read whole for compaction: " + e);
        }
        return rows;
    }

    /**
     * Deletes the files that compacted files older than the grace period replace, oldest compaction first, and each
     * compacted file only once none of the files it replaces is left. Returns how many files were deleted.
     */
    private int collectGarbage(FileSystem fs, TableFiles files) {
        int deleted = 0;
        long now = System.currentTimeMillis();
        List<FileStatus> compacted = files.dataFiles().stream().filter(TableFiles::isCompacted)
                .sorted(Comparator.comparingLong(FileStatus::getModificationTime)).toList();
        for (FileStatus c : compacted) {
            if (now - c.getModificationTime() < grace.toMillis()) {
                continue;
            }
            for (String name : files.replacedBy(c)) {
                Path replaced = new Path(files.dir(), name);
                try {
                    if (fs.exists(replaced) && safeToDelete(files, replaced)) {
                        fs.delete(replaced, false);
                        deleted++;
                    }
                } catch (IOException e) {
                    LOG.warn("could not delete the compacted-away file {}: {}", replaced, e.toString());
                }
            }
        }
        return deleted;
    }

    /** A compacted file may go only once every file it replaces is gone (else those would count again). */
    private boolean safeToDelete(TableFiles files, Path file) throws IOException {
        if (!file.getName().startsWith(TableFiles.COMPACTED_PREFIX)) {
            return true;
        }
        FileSystem fs = fileSystem();
        for (String name : files.replacedBy(fs.getFileStatus(file))) {
            if (fs.exists(new Path(files.dir(), name))) {
                return false;
            }
        }
        return true;
    }

    /** Takes the folder's compaction lock, or refuses with who holds it; a stale lock is taken over. */
    private static void take(FileSystem fs, Path lock) {
        try {
            if (fs.exists(lock)) {
                long age = System.currentTimeMillis() - fs.getFileStatus(lock).getModificationTime();
                if (age < STALE_LOCK.toMillis()) {
                    throw new ResultsException("another compaction of " + lock.getParent() + " is running (its lock "
                            + lock + " is " + age / 1000 + " s old; it is taken over after "
                            + STALE_LOCK.toMinutes() + " minutes)");
                }
                LOG.warn("taking over the compaction lock {}: {} s old, its compaction died", lock, age / 1000);
                fs.delete(lock, false);
            }
            try (FSDataOutputStream out = fs.create(lock, false)) {
                out.write(("compaction by " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ResultsException("cannot take the compaction lock " + lock + ": " + e.getMessage(), e);
        }
    }

    private FileSystem fileSystem() {
        try {
            return root.getFileSystem(conf);
        } catch (IOException e) {
            throw new ResultsException("cannot reach " + root + ": " + e.getMessage(), e);
        }
    }
}
