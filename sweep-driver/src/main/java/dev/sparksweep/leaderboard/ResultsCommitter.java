package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Commits a trial's leaderboard row and curve points from the driver, so that the raw table folders never hold a
 * curve without its row, nor a row twice.
 *
 * <p>Both files are first written under {@code <out>/_staging/<id>/}. Renaming the row into {@code leaderboard/} is
 * the commit: from then on the trial counts as done. The curve file follows into {@code curves/}. A driver killed
 * before the commit leaves only a staging folder, which no reader sees and the trial is retrained; one killed between
 * the two renames leaves a committed row whose curve is still staged, and {@link #recover} publishes it at the next
 * run's start. Names carry the commit id, so a row and its curve can always be paired.
 */
final class ResultsCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsCommitter.class);
    static final String STAGING = "_staging";
    private static final String ROW_FILE = LeaderboardStore.LEADERBOARD + ".parquet";
    private static final String CURVE_FILE = LeaderboardStore.CURVES + ".parquet";

    private final Configuration conf;
    private final Path root;

    ResultsCommitter(Configuration conf, Path root) {
        this.conf = conf;
        this.root = root;
    }

    /** The name of a committed file in either table. */
    static String fileName(String commitId) {
        return "part-" + commitId + ".parquet";
    }

    /** Writes one trial's row and curve and commits them; returns once the row is durable and visible. */
    void commit(String commitId, Row row, List<Row> curve) {
        Path stage = new Path(new Path(root, STAGING), commitId);
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!curve.isEmpty()) {
                ParquetRowWriter.write(conf, new Path(stage, CURVE_FILE), LeaderboardSchema.CURVES, curve);
            }
            ParquetRowWriter.write(conf, new Path(stage, ROW_FILE), LeaderboardSchema.LEADERBOARD, List.of(row));
            move(fs, new Path(stage, ROW_FILE), new Path(new Path(root, LeaderboardStore.LEADERBOARD),
                    fileName(commitId)));
            publishCurve(fs, stage, commitId);
            fs.delete(stage, true);
        } catch (IOException e) {
            throw new ResultsException("cannot write to " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finishes what killed drivers left: publishes the staged curve of every committed row, and removes staging
     * folders whose row was never committed once they are older than {@code abandonAfter} (a younger one may belong
     * to a driver still committing). Returns how many commits were completed.
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
                boolean committed = fs.exists(new Path(new Path(root, LeaderboardStore.LEADERBOARD), fileName(id)));
                if (committed) {
                    publishCurve(fs, stage.getPath(), id);
                    fs.delete(stage.getPath(), true);
                    completed++;
                    LOG.warn("completed the commit {} of a driver that stopped half way: its curve is published", id);
                } else if (System.currentTimeMillis() - stage.getModificationTime() > abandonAfter.toMillis()) {
                    fs.delete(stage.getPath(), true);
                    LOG.warn("removed the uncommitted staging folder {}: its trial had not landed and is retrained",
                            stage.getPath());
                }
            }
        } catch (IOException e) {
            throw new ResultsException("cannot tidy " + staging + ": " + e.getMessage(), e);
        }
        return completed;
    }

    private void publishCurve(FileSystem fs, Path stage, String commitId) throws IOException {
        Path staged = new Path(stage, CURVE_FILE);
        if (fs.exists(staged)) {
            move(fs, staged, new Path(new Path(root, LeaderboardStore.CURVES), fileName(commitId)));
        }
    }

    private static void move(FileSystem fs, Path from, Path to) throws IOException {
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
            throw new IOException("could not move " + from + " to " + to);
        }
    }
}
