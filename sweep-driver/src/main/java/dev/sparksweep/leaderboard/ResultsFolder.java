package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks on a results folder made before any work: one that will be written must be writable in every table folder
 * (a probe file is created and deleted in each), one that will be read must hold a leaderboard. Both fail with one
 * line naming the path, so that nothing trains into a folder that cannot take its results.
 */
public final class ResultsFolder {

    private final Configuration conf;
    private final Path root;

    public ResultsFolder(Configuration conf, String outputDir) {
        this.conf = conf;
        this.root = new Path(outputDir);
    }

    /** Creates the folder and its tables if needed and proves each can take a new file. */
    public void requireWritable() {
        List<Path> dirs = List.of(root, new Path(root, LeaderboardStore.LEADERBOARD),
                new Path(root, LeaderboardStore.CURVES), new Path(root, ResultsCommitter.STAGING));
        FileSystem fs = fileSystem();
        for (Path dir : dirs) {
            try {
                if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
                    throw ResultsException.badPath("results path " + dir + " is a file, not a folder: choose another"
                            + " --out or move the file away", null);
                }
                if (!fs.mkdirs(dir)) {
                    throw new IOException("mkdirs refused");
                }
                Path probe = new Path(dir, "_probe-" + UUID.randomUUID());
                fs.create(probe, false).close();
                fs.delete(probe, false);
            } catch (IOException e) {
                throw ResultsException.badPath("results folder " + dir + " cannot be written (" + e.getClass()
                        .getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "): choose another --out", e);
            }
        }
    }

    /** Refuses a path that is not a results folder (missing, a file, or without a leaderboard). */
    public void requireResults() {
        FileSystem fs = fileSystem();
        Path leaderboard = new Path(root, LeaderboardStore.LEADERBOARD);
        try {
            if (!fs.exists(root)) {
                throw ResultsException.badPath("no results folder at " + root + " (run a sweep with --out " + root
                        + " first, or name the right --out)", null);
            }
            if (!fs.getFileStatus(root).isDirectory()) {
                throw ResultsException.badPath(root + " is a file, not a results folder (--out names the folder that"
                        + " holds leaderboard/ and curves/)", null);
            }
            if (!fs.exists(leaderboard)) {
                throw ResultsException.badPath(root + " holds no leaderboard (no " + leaderboard + "): is --out the"
                        + " folder a sweep wrote to?", null);
            }
            if (!fs.getFileStatus(leaderboard).isDirectory()) {
                throw ResultsException.badPath(leaderboard + " is a file, not a table folder", null);
            }
        } catch (IOException e) {
            throw ResultsException.badPath("cannot read " + root + ": " + e.getMessage(), e);
        }
    }

    /** Every damaged file of every table. */
    public List<DamagedFile> damaged() {
        List<DamagedFile> all = new ArrayList<>();
        for (String table : LeaderboardStore.TABLES) {
            all.addAll(new TableFiles(conf, new Path(root, table)).damaged());
        }
        return all;
    }

    /**
     * Moves every damaged file (with its checksum file) to {@code <out>/_quarantine/<table>/}, never deleting one.
     * A damaged file takes the other files of its commit along (same name in the other tables: a trial's row, curve
     * and rung record): without its row, a curve would be an orphan that the rerun doubles, and a final rung record
     * without its row would keep ASHA from retraining the trial. Returns the files moved.
     */
    public List<String> quarantine() {
        FileSystem fs = fileSystem();
        List<String> moved = new ArrayList<>();
        try {
            for (DamagedFile damaged : damaged()) {
                Path file = new Path(damaged.path());
                if (!fs.exists(file)) {
                    continue; // already moved along with its row
                }
                moved.add(moveAside(fs, file));
                for (String table : LeaderboardStore.TABLES) {
                    Path companion = new Path(new Path(root, table), file.getName());
                    if (fs.exists(companion)) {
                        moved.add(moveAside(fs, companion));
                    }
                }
            }
        } catch (IOException e) {
            throw new ResultsException("cannot quarantine in " + root + ": " + e.getMessage(), e);
        }
        return moved;
    }

    private String moveAside(FileSystem fs, Path file) throws IOException {
        Path target = new Path(new Path(new Path(root, "_quarantine"), file.getParent().getName()), file.getName());
        fs.mkdirs(target.getParent());
        if (fs.exists(target)) {
            target = new Path(target.getParent(), file.getName() + "." + System.currentTimeMillis());
        }
        if (!fs.rename(file, target)) {
            throw new IOException("could not move " + file + " to " + target);
        }
        return file + " -> " + target;
    }

    private FileSystem fileSystem() {
        try {
            return root.getFileSystem(conf);
        } catch (IOException e) {
            throw ResultsException.badPath("cannot reach " + root + ": " + e.getMessage(), e);
        }
    }
}
