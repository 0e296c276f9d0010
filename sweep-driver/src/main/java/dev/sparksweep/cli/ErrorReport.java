package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.ReadOnlySql;
import dev.sparksweep.leaderboard.ResultsException;
import dev.sparksweep.search.SweepConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * Ends a command that failed: one line on the console that names the problem, the full trace in the log file (and on
 * the console too with {@code --verbose}), and the exit code: 2 for what the user can fix in the command or its
 * configuration, 1 for a failure while working.
 */
final class ErrorReport {

    /** Logs to the file only (see conf/log4j2.properties), never to the console. */
    private static final Logger TRACES = LoggerFactory.getLogger("sparksweep.errors");

    static final int RUNTIME = 1;
    static final int USAGE = 2;

    private ErrorReport() {
    }

    static int report(Throwable failure, PrintStream err, boolean verbose) {
        Throwable e = ResultsException.damagedFileIn(failure).map(Throwable.class::cast).orElse(failure);
        int code = e instanceof UsageException || e instanceof SweepConfigException
                || e instanceof ReadOnlySql.QueryException
                || (e instanceof ResultsException r && r.isUsageError()) ? USAGE : RUNTIME;
        TRACES.error("sparksweep failed", failure);
        String message = oneLine(e);
        String log = System.getProperty("sparksweep.log.file");
        if (code == RUNTIME && !verbose && log != null && !(e instanceof ResultsException)) {
            message += " (the full trace is in " + log + "; --verbose prints it)";
        }
        err.println("sparksweep: " + message);
        if (verbose) {
            failure.printStackTrace(err);
        }
        return code;
    }

    /** The first line of the message, from the deepest cause that has one for errors that are not ours. */
    static String oneLine(Throwable e) {
        boolean ours = e instanceof UsageException || e instanceof SweepConfigException
                || e instanceof ReadOnlySql.QueryException || e instanceof ResultsException;
        Throwable source = e;
        if (!ours) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getMessage() != null && !t.getMessage().isBlank()) {
                    source = t;
                }
            }
        }
        String message = source.getMessage() == null ? "" : source.getMessage().lines()
                .filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        return ours ? message : source.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
