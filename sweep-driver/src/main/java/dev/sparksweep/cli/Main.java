package dev.sparksweep.cli;

import dev.sparksweep.train.RuntimeVersions;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Entry point of {@code ./sparksweep} and of the spark-submit jar: one picocli command per subcommand, each with its
 * own options and help. Exit codes: 0 ok, 1 a failure while working, 2 a usage or configuration error.
 */
@Command(name = "sparksweep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hyper-parameter sweeps of recurrent MNIST classifiers (Spark + DL4J).",
        subcommands = {RunCommand.class, LeaderboardCommand.class, ReportCommand.class, RefitCommand.class, EvaluateCommand.class,
                PredictCommand.class, FetchDataCommand.class,
                AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure while working, 2 usage or configuration error.",
                "'sparksweep <command> --help' explains each command; 'sparksweep generate-completion' prints a bash"
                        + " completion script."})
public final class Main implements Runnable {

    /** Where commands print their results (standard output, or a test's stream). */
    final PrintStream out;

    private Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, command, parsed) -> ErrorReport.report(e, err, verbose(parsed)));
        cl.setParameterExceptionHandler((e, a) -> usage(e, err));
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    /** A usage error: the message, a suggestion where picocli has one, and where the help is. */
    private static int usage(ParameterException e, PrintStream err) {
        err.println("sparksweep: " + e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            err.println("  did you mean: " + String.join(", ", unmatched.getSuggestions()) + "?");
        }
        err.println("  see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
        return ErrorReport.USAGE;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The version of the sparksweep jar in use, and of what it trains with. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"sparksweep " + RuntimeVersions.sparksweep() + " (DL4J " + RuntimeVersions.dl4j()
                    + ", Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
