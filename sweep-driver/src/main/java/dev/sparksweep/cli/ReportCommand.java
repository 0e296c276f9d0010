package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsFolder;
import dev.sparksweep.report.SweepReport;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SweepConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sparksweep report}: a sweep's answer as one self-contained HTML file. Reads the results, never changes them. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one self-contained HTML report of a sweep (or of every sweep in --out): settings and"
                + " provenance, configurations ranked over seeds with 95 %% intervals, learning curves, accuracy by"
                + " hyperparameter, accuracy against training time and size with the Pareto front, and the trials"
                + " that did not finish ok. Prints the file's path."})
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder to read (default: sparksweep.output,"
            + " results).")
    private Path out;

    @Option(names = "--sweep", paramLabel = "NAME", description = "Only this sweep's trials (those it trained, and those"
            + " it shares with a sweep that trained them first).")
    private String sweep;

    @Option(names = "--html", paramLabel = "FILE", description = "Where to write the report (default:"
            + " <out>/report[-<sweep>].html).")
    private Path html;

    @Option(names = "--png-dir", paramLabel = "DIR", description = "Also write every plot as a PNG file into DIR,"
            + " named after its caption (for documents).")
    private Path pngDir;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        RuntimeSettings runtime = SweepConfig.load(null, shared.overrides).runtime();
        Path dir = out != null ? out : runtime.output();
        Path file = html != null ? html : dir.resolve(sweep == null ? "report.html" : "report-" + sweep + ".html");
        try (SparkSession spark = SparkSessions.create("sparksweep report", runtime, false, 1)) {
            new ResultsFolder(spark.sparkContext().hadoopConfiguration(), dir.toString()).requireResults();
            int trials = new SweepReport(new LeaderboardStore(spark, dir.toString()).snapshot()).write(sweep, file,
                    pngDir);
            main.out.println("report of " + trials + " trial(s): " + file.toAbsolutePath());
            if (pngDir != null) {
                main.out.println("plots as PNG files in " + pngDir.toAbsolutePath());
            }
        }
        return 0;
    }
}
