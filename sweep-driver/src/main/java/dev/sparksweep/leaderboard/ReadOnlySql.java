package dev.sparksweep.leaderboard;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.execution.CommandExecutionMode;
import org.apache.spark.sql.execution.command.ExplainCommand;
import scala.collection.JavaConverters;

import java.util.List;
import java.util.Optional;

/**
 * Spark SQL over the results that cannot change them. A statement runs only if Spark's parser makes it a query
 * ({@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, set operations) or a {@code DESCRIBE}, {@code SHOW} or
 * {@code EXPLAIN} of one: decided from the parsed plan, where every writing statement ({@code INSERT},
 * {@code CREATE ... LOCATION}, {@code CACHE}, {@code SET}, {@code ADD JAR}, ...) is a command or a parsed statement,
 * whatever its spelling. The functions that call arbitrary Java methods ({@code reflect}, {@code java_method}) are
 * removed from the session first.
 */
public final class ReadOnlySql {

    private static final List<String> REFLECTION = List.of("reflect", "java_method", "try_reflect");

    private final SparkSession spark;

    public ReadOnlySql(SparkSession spark) {
        this.spark = spark;
        for (String name : REFLECTION) {
            spark.sessionState().functionRegistry().dropFunction(FunctionIdentifier.apply(name));
        }
    }

    /** Parses, checks and plans {@code sql}; the result runs when collected. */
    public Dataset<Row> query(String sql) {
        LogicalPlan plan;
        try {
            plan = spark.sessionState().sqlParser().parsePlan(sql);
        } catch (ParseException e) {
            throw new QueryException("query failed: " + firstLine(e.getMessage()), e);
        }
        Optional<String> writes = writing(plan, true);
        if (writes.isEmpty()) {
            // The analyzer turns some statements the parser leaves as plain plans (INSERT OVERWRITE DIRECTORY) into
            // writing commands; analysing without executing shows them.
            try {
                writes = writing(spark.sessionState().executePlan(plan, CommandExecutionMode.SKIP()).analyzed(), true);
            } catch (Exception e) { // Spark's AnalysisException is checked, thrown past Java's checks
                throw new QueryException("query failed: " + firstLine(e.getMessage()), e);
            }
        }
        if (writes.isPresent()) {
            throw new QueryException("the leaderboard is read-only here: --sql runs queries only (SELECT, WITH ... "
                    + "SELECT, VALUES, DESCRIBE, SHOW, EXPLAIN), not " + writes.get() + ". sparksweep has no supported"
                    + " way to edit rows: a trial is changed by training it again (run --retry), and a table by"
                    + " writing your own copy from Spark (spark.read.parquet(...)) to a folder of your own");
        }
        try {
            return ResultsException.reading(() -> spark.sql(sql));
        } catch (ResultsException e) {
            throw e;
        } catch (Exception e) {
            throw new QueryException("query failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** The statement kind that makes {@code plan} writing (or run anything but a query), if it does. */
    static Optional<String> writing(LogicalPlan plan, boolean top) {
        String kind = plan.getClass().getSimpleName();
        if (top && plan instanceof ExplainCommand explain) {
            return writing(explain.logicalPlan(), true);
        }
        if (top && plan instanceof Command && (kind.startsWith("Show") || kind.startsWith("Describe"))) {
            return Optional.empty();
        }
        if (plan instanceof Command || plan instanceof ParsedStatement || kind.startsWith("InsertInto")) {
            return Optional.of(kind.replaceAll("(Statement|Command)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toUpperCase(java.util.Locale.ROOT));
        }
        for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
            Optional<String> found = writing(child, false);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    }

    /** A query that was refused or failed; the message is one line. */
    public static final class QueryException extends RuntimeException {
        QueryException(String message) {
            super(message);
        }

        QueryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
