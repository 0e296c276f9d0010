package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commits the rows one trial (or one ASHA segment) produces, from the driver, so that the raw table folders never
 * hold a curve or a leaderboard row without the row that commits it, nor a row twice.
 *
 * <p>Every file is first written under {@code <out>/_staging/<id>/}, with a marker naming the primary table (the
 * leaderboard for a whole trial, the rungs table for a segment). Renaming the primary file into its table is the
 * commit: from then on the work counts as done. The other files follow. A driver killed before the commit leaves only
 * a staging folder, which no reader sees (the work is redone); one killed after it leaves files still staged, which
 * {@link #recover} publishes at the next run's start. Names carry the commit id, so the files of one commit pair up.
 */
final class ResultsCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsCommitter.class);
    static final String STAGING = "_staging";
    private static final String PRIMARY_MARKER = "_primary";

    private final Configuration conf;
    private final Path root;

    ResultsCommitter(Configuration conf, Path root) {
        this.conf = conf;
        this.root = root;
    }

    /** The name of a committed file in any table. */
    static String fileName(String commitId) {
        return "part-" + commitId + ".parquet";
    }

    /** The rows of one table in a commit. */
    record TableRows(String table, StructType schema, List<Row> rows) {
    }

    /** Writes one trial's row and curve and commits them; returns once the row is durable and visible. */
    void commit(String commitId, Row row, List<Row> curve) {
        commit(commitId, new TableRows(LeaderboardStore.LEADERBOARD, LeaderboardSchema.LEADERBOARD, List.of(row)),
                List.of(new TableRows(LeaderboardStore.CURVES, LeaderboardSchema.CURVES, curve)));
    }

    /** Commits {@code primary} (the commit point), then publishes {@code others}; empty tables are left out. */
    void commit(String commitId, TableRows primary, List<TableRows> others) {
        Path stage = new Path(new Path(root, STAGING), commitId);
        try {
            FileSystem fs = root.getFileSystem(conf);
            try (FSDataOutputStream marker = fs.create(new Path(stage, PRIMARY_MARKER), false)) {
                marker.write(primary.table().getBytes(StandardCharsets.UTF_8));
            }
            Map<String, TableRows> all = new LinkedHashMap<>();
            all.put(primary.table(), primary);
            others.forEach(t -> all.put(t.table(), t));
            for (TableRows t : all.values()) {
                if (!t.rows().isEmpty()) {
                    ParquetRowWriter.write(conf, staged(stage, t.table()), t.schema(), t.rows());
                }
            }
            move(fs, staged(stage, primary.table()), new Path(new Path(root, primary.table()), fileName(commitId)));
            publishRest(fs, stage, commitId);
            fs.delete(stage, true);
        } catch (IOException e) {
            throw new ResultsException("cannot write to " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finishes what killed drivers left: publishes the staged files of every committed primary, and removes staging
     * folders whose primary was never committed once they are older than {@code abandonAfter} (a younger one may
     * belong to a driver still committing). Returns how many commits were completed.
     */
    int recover(Duration abandonAfter) {
        Path staging = new Path(root, STAGING);
        int completed = 0;
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(staging)) {
                return 0;
            }
            for (FileStatus stage : fs.listStatus(staging)) {
                String id = stage.getPath().getName();
                if (id.startsWith(TableFiles.COMPACTED_PREFIX)) {
                    // A compaction's unfinished file: its own until the compaction lock would be taken over.
                    if (System.currentTimeMillis() - stage.getModificationTime() > Compaction.STALE_LOCK.toMillis()) {
                        fs.delete(stage.getPath(), true);
                        LOG.warn("removed the unfinished compaction {}: its compactor died", stage.getPath());
                    }
                    continue;
                }
                String primary = primaryOf(fs, stage.getPath());
                // An empty marker: the driver died as it began staging, long before any commit.
                // Committed: the primary is in its table, or a compaction has already taken its rows in.
                boolean committed = !primary.isEmpty() && (fs.exists(new Path(new Path(root, primary), fileName(id)))
                        || compactedAway(primary).contains(fileName(id)));
                if (committed) {
                    publishRest(fs, stage.getPath(), id);
                    fs.delete(stage.getPath(), true);
                    completed++;
                    LOG.warn("completed the commit {} of a driver that stopped half way", id);
                } else if (System.currentTimeMillis() - stage.getModificationTime() > abandonAfter.toMillis()) {
                    fs.delete(stage.getPath(), true);
                    LOG.warn("removed the uncommitted staging folder {}: its work had not landed and is redone",
                            stage.getPath());
                }
            }
        } catch (IOException e) {
            throw new ResultsException("cannot tidy " + staging + ": " + e.getMessage(), e);
        }
        return completed;
    }

    /** The names of {@code table}'s files whose rows compacted files hold. */
    private java.util.Set<String> compactedAway(String table) {
        TableFiles files = new TableFiles(conf, new Path(root, table));
        return files.replaced(files.dataFiles());
    }

    /** The primary table of a staged commit; the leaderboard for commits staged before markers existed. */
    private static String primaryOf(FileSystem fs, Path stage) throws IOException {
        Path marker = new Path(stage, PRIMARY_MARKER);
        if (!fs.exists(marker)) {
            return LeaderboardStore.LEADERBOARD;
        }
        try (FSDataInputStream in = fs.open(marker)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    /**
     * Moves a committed stage's other tables into place. Another driver's {@link #recover} (or a compaction's) may
     * complete the same commit at the same moment: what it moved first, or a stage it already removed, is done.
     */
    private void publishRest(FileSystem fs, Path stage, String commitId) throws IOException {
        FileStatus[] staged;
        try {
            staged = fs.listStatus(stage);
        } catch (java.io.FileNotFoundException completedElsewhere) {
            return;
        }
        for (FileStatus file : staged) {
            String name = file.getPath().getName();
            if (name.endsWith(".parquet") && !name.startsWith(".")) {
                String table = name.substring(0, name.length() - ".parquet".length());
                Path to = new Path(new Path(root, table), fileName(commitId));
                fs.mkdirs(to.getParent());
                if (!fs.rename(file.getPath(), to) && (fs.exists(file.getPath()) || !fs.exists(to))) {
                    throw new IOException("could not move " + file.getPath() + " to " + to);
                }
            }
        }
    }

    private static Path staged(Path stage, String table) {
        return new Path(stage, table + ".parquet");
    }

    private static void move(FileSystem fs, Path from, Path to) throws IOException {
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
            throw new IOException("could not move " + from + " to " + to);
        }
    }
}
