package dev.sparksweep.leaderboard;

import org.apache.hadoop.fs.Path;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A results folder or table that cannot be used as it is: a path that is a file, a folder that cannot be written, a
 * damaged file. The message is one line that names the path and says what to do.
 */
public final class ResultsException extends RuntimeException {

    private final boolean usageError;

    ResultsException(String message) {
        this(message, false, null);
    }

    private ResultsException(String message, boolean usageError, Throwable cause) {
        super(message, cause);
        this.usageError = usageError;
    }

    /** A path given on the command line that cannot serve: the user's to change (exit code 2). */
    static ResultsException badPath(String message, Throwable cause) {
        return new ResultsException(message, true, cause);
    }

    /** Whether the problem is the path the user named rather than a failure while working. */
    public boolean isUsageError() {
        return usageError;
    }

    /**
     * Runs a read of the results, turning a failure that names a damaged file into a {@link ResultsException} that
     * says so. Spark's own failures arrive as its checked {@code SparkException}, thrown past Java's checks.
     */
    public static <T> T reading(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Exception e) {
            Optional<ResultsException> damaged = damagedFileIn(e);
            if (damaged.isPresent()) {
                throw damaged.get();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    ResultsException(String message, Throwable cause) {
        this(message, false, cause);
    }

    /** A damaged data file of a table under {@code <out>/<table>/}. */
    static ResultsException damaged(Path file, String why) {
        return damaged(file, why, null);
    }

    private static ResultsException damaged(Path file, String why, Throwable cause) {
        Path out = file.getParent() == null ? null : file.getParent().getParent();
        String where = out == null ? "" : " --out " + out;
        return new ResultsException("damaged results file " + file + ": " + why + ". Run 'sparksweep leaderboard --check"
                + where + "' to list every damaged file and 'sparksweep leaderboard --quarantine" + where
                + "' to move them aside; the next run then retrains the trials whose rows they held", cause);
    }

    private static final Pattern PARQUET_PATH =
            Pattern.compile("((?:file:|hdfs:|s3a?:|gs:|abfss?:)?/[^\\s,;'\"}]+\\.parquet)");

    /**
     * The failure of a read explained as a damaged file, when some message in its chain names a Parquet file (Spark
     * names the file it could not read); the deepest cause says what was wrong.
     */
    public static Optional<ResultsException> damagedFileIn(Throwable failure) {
        String file = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (file == null && t.getMessage() != null) {
                Matcher m = PARQUET_PATH.matcher(t.getMessage());
                if (m.find()) {
                    file = m.group(1);
                }
            }
            root = t;
        }
        if (file == null || failure instanceof ResultsException) {
            return Optional.empty();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage().lines().findFirst().orElse("");
        return Optional.of(damaged(new Path(file), why.replace(file, "the file"), failure));
    }
    /** Nothing to show for what was asked (a sweep without trials): the user's to change (exit code 2). */
    public static ResultsException nothingToShow(String message) {
        return new ResultsException(message, true, null);
    }
}
