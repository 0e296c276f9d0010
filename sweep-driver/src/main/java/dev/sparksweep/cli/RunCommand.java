package dev.sparksweep.cli;

import dev.sparksweep.data.DataFetcher;
import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetManifest;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.leaderboard.Compaction;
import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.SweepHistory;
import dev.sparksweep.leaderboard.ResultsException;
import dev.sparksweep.leaderboard.ResultsFolder;
import dev.sparksweep.schedule.InterruptedTrials;
import dev.sparksweep.schedule.SweepRunner;
import dev.sparksweep.schedule.SweepSummary;
import dev.sparksweep.schedule.TrialContext;
import dev.sparksweep.search.RuntimeSettings;
import dev.sparksweep.search.SearchSettings;
import dev.sparksweep.search.SharedResults;
import dev.sparksweep.search.TpeTrials;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.sampling.Tpe;
import dev.sparksweep.search.scheduling.AshaTrials;
import dev.sparksweep.search.scheduling.BudgetChains;
import dev.sparksweep.search.scheduling.RungRecord;
import dev.sparksweep.search.scheduling.Rungs;
import dev.sparksweep.search.scheduling.SeedPolicy;
import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepConfig;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code sparksweep run}: expands a sweep file into trials and trains the ones the leaderboard lacks. Everything that
 * can be wrong with the input (the sweep file, the output folder) is found before the first trial starts.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Expand the sweep file's search space into trials, train each one as its own Spark task, and"
                + " append the results to the Parquet leaderboard under --out. Trials already finished in the"
                + " leaderboard are skipped, so rerunning a sweep resumes it."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Parameters(index = "0", paramLabel = "SWEEP", description = "A HOCON sweep file, or the name of a ready sweep"
            + " in conf/sweeps (quick, parity, seed-exercise2, seed-exercise3, seed-exercise4, seed-search,"
            + " seed-study-asha, seed-beyond).")
    private String sweepFile;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: sparksweep.spark.master,"
            + " local[*]; under spark-submit, spark-submit's own).")
    private String master;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder holding the leaderboard/ and curves/"
            + " tables (default: sparksweep.output, results).")
    private Path out;

    @Option(names = "--retry", paramLabel = "STATUS", split = ",", description = "Also train again the trials that"
            + " ended as one of these otherwise final statuses: timed-out (say, after raising"
            + " sweep.train.time-limit), diverged, ok, stopped (ASHA stopped them early; with"
            + " -Dsweep.search.scheduler=fifo they train in full). Failed trials are always retried.")
    private List<String> retry = List.of();

    @Option(names = "--trials", paramLabel = "N", description = "Configurations a sampler draws (sets"
            + " sweep.search.trials); raise it on a rerun to extend a search.")
    private Integer samplerTrials;

    @Mixin
    private SharedOptions shared;

    @Override
    public Integer call() {
        Set<String> retryStatuses = retryStatuses();
        if (samplerTrials != null) {
            shared.overrides.put("sweep.search.trials", Integer.toString(samplerTrials));
        }
        SweepConfig config = SweepConfig.load(sweepFile, shared.overrides);
        SweepDefinition sweep = config.sweep();
        if (retryStatuses.contains("stopped") && sweep.search().scheduler() == SearchSettings.Scheduler.ASHA) {
            // ASHA would stop them again at the same rungs: training them in full is a run without the scheduler.
            throw new UsageException("--retry stopped: trials of " + sweep.source() + " are stopped by its"
                    + " scheduler (sweep.search.scheduler = asha), which would stop them again; add"
                    + " -Dsweep.search.scheduler=fifo to train them in full");
        }
        RuntimeSettings runtime = config.runtime();
        if (out != null) {
            runtime = runtime.withOutput(out);
        }
        if (master != null) {
            runtime = runtime.withMaster(master);
        }
        DatasetName dataset = sweep.data().dataset();
        // Ids are fixed before any data moves: they use the manifest's checksum, which needs no files.
        String checksum = DatasetManifest.of(dataset).checksum();
        boolean tpe = sweep.search().algorithm() == SearchSettings.Algorithm.TPE;
        if (tpe) {
            SpaceExpander.requireWithinLimit(sweep); // before Spark starts (expand checks the others)
        }
        List<Trial> trials = tpe ? List.of() : SpaceExpander.expand(sweep, checksum);
        main.out.printf("sweep '%s' from %s: %s trials on %s (%s)%n", sweep.name(), sweep.source(),
                tpe ? "up to " + SpaceExpander.plannedSize(sweep) : Integer.toString(trials.size()), dataset.id(),
                searchInWords(sweep));
        try (SparkSession spark = SparkSessions.create("sparksweep " + sweep.name(), runtime, master != null,
                sweep.threadsPerTrial())) {
            new ResultsFolder(spark.sparkContext().hadoopConfiguration(), runtime.output().toString())
                    .requireWritable();
            // Whether executors are this JVM is decided by the running context: under spark-submit its --master
            // wins over the configured one, and a cluster's driver must not need the data itself.
            if (spark.sparkContext().isLocal()) {
                DataFetcher.ensure(dataset, runtime.dataDir(), runtime.parsedSourcesFor(dataset), main.out::println);
                // The executors are this JVM: load the splits into its cache now, once, rather than inside the first
                // trial (or ASHA segment), whose time it would inflate.
                DatasetCache.get(dataset, runtime.dataDir(), sweep.data().splitSpec());
            }
            LeaderboardStore store = new LeaderboardStore(spark, runtime.output().toString());
            TrialContext context = new TrialContext(runtime.dataDir().toAbsolutePath().toString(),
                    runtime.sourcesFor(dataset), spark.version(), sweep.timeLimit().toSeconds(), runtime.nvidiaSmi())
                    .withDivergence(sweep.divergenceLossRatio(), sweep.divergencePatience())
                    .withModels(runtime.output().resolve("models").resolve(sweep.name()).toAbsolutePath().toString(),
                            sweep.name(), sweep.saveModels())
                    .withProgress(checkpointsOf(runtime, sweep).toString(), sweep.progressCheckpoints());
            SweepRunner runner = new SweepRunner(spark, store, main.out, runtime.progressInterval());
            SweepSummary summary;
            if (sweep.search().scheduler() == SearchSettings.Scheduler.ASHA) {
                summary = runAsha(runner, store, sweep, checksum, trials, context, runtime, retryStatuses,
                        sharedResults(store, sweep.name()));
            } else if (tpe) {
                // TPE refits from this sweep's results in the leaderboard and proposes as slots free up.
                runner.recover();
                Set<String> finished = store.finishedTrialIds(retryStatuses);
                List<Tpe.Observation> history = new SweepHistory(store, sweep.name()).observations();
                TpeTrials source = new TpeTrials(sweep, checksum, history, finished, Map.of(),
                        InterruptedTrials.find(checkpointsOf(runtime, sweep), sweep, checksum, finished),
                        sharedResults(store, sweep.name()));
                summary = runner.run(sweep.name(), source, context, history.size() - source.retrying());
            } else if (sweep.chainsBudgets()) {
                Path checkpoints = checkpointsOf(runtime, sweep);
                summary = runner.run(sweep.name(), trials, context, retryStatuses,
                        (todo, finished) -> new BudgetChains(trials, finished, checkpoints,
                                new SweepHistory(store, sweep.name()).okWallSeconds()));
            } else {
                summary = runner.run(sweep.name(), trials, context, retryStatuses);
            }
            main.out.printf("sweep '%s' done in %.1fs: %d trained (%d not ok), %d skipped as already finished%n",
                    summary.sweep(), summary.wallSeconds(), summary.trained(), summary.notOk(), summary.skipped());
            main.out.println("leaderboard: " + store.leaderboardPath());
            compactIfDue(spark, runtime);
            LeaderboardCommand.showTop(new LeaderboardQueries(store), main.out, sweep.name(), 10);
        }
        return 0;
    }

    /** Where the sweep's trials keep their checkpoints: progress, rungs, budget chains ({@code <trial>/...}). */
    private static Path checkpointsOf(RuntimeSettings runtime, SweepDefinition sweep) {
        return runtime.output().resolve("checkpoints").resolve(sweep.name()).toAbsolutePath();
    }

    /** Compacts the results tables that have reached sparksweep.results.compact-above small files. */
    private void compactIfDue(SparkSession spark, RuntimeSettings runtime) {
        if (runtime.compactAbove() == 0) {
            return;
        }
        try {
            for (Compaction.Result r : new Compaction(spark.sparkContext().hadoopConfiguration(),
                    runtime.output().toString(), LeaderboardCommand.COMPACTION_GRACE).compact(runtime.compactAbove())) {
                if (r.rows() > 0) {
                    main.out.printf("compacted %s: %d files -> %d%n", r.table(), r.filesBefore(), r.filesAfter());
                }
            }
        } catch (ResultsException e) {
            // Another driver compacting the same folder: its compaction will do.
            main.out.println("not compacted now: " + e.getMessage());
        }
    }

    /**
     * ASHA over the sweep's trials (planned, or proposed by TPE): replays the rung decisions recorded in the
     * leaderboard, resumes promoted trials from their checkpoints, and starts the trials not yet begun.
     */
    private static SweepSummary runAsha(SweepRunner runner, LeaderboardStore store, SweepDefinition sweep,
                                        String checksum, List<Trial> planned, TrialContext context,
                                        RuntimeSettings runtime, Set<String> retry,
                                        SharedResults shared) {
        runner.recover();
        Set<String> finished = store.finishedTrialIds(retry);
        List<RungRecord> history = new SweepHistory(store, sweep.name()).rungRecords();
        SearchSettings.AshaSettings a = sweep.search().asha();
        RungRecord.refuseOtherBudgets(history, a.maxIterations(), sweep.name(), runtime.output());
        Set<String> started = new HashSet<>(finished);
        Map<String, Map<String, Object>> underWay = RungRecord.underWay(history, finished);
        started.addAll(underWay.keySet());
        // With asha.other-seeds = finalists the search runs on the first seed; ASHA starts the others for finalists.
        boolean finalists = SpaceExpander.finalistSeeds(sweep);
        List<Long> searched = finalists ? SpaceExpander.searchSeeds(sweep) : List.of();
        List<Long> later = finalists ? SpaceExpander.seeds(sweep).subList(1, SpaceExpander.seeds(sweep).size())
                : List.of();
        boolean tpe = sweep.search().algorithm() == SearchSettings.Algorithm.TPE;
        // First, before anything else adopts: a grid's planned trials that another sweep finished become this one's.
        runner.adoptShared(sweep.name(), planned, finished);
        // This sweep's trials already in the leaderboard: the planned ones (a grid), or those its rows hold (a sampler
        // has no plan). Trials adopted from here on are counted by the source (TrialSource.adopted).
        Set<String> own = tpe ? new SweepHistory(store, sweep.name()).trialIds()
                : planned.stream().map(Trial::id).collect(Collectors.toSet());
        Path checkpoints = checkpointsOf(runtime, sweep);
        TrialSource fresh = tpe
                ? new TpeTrials(sweep, checksum, new SweepHistory(store, sweep.name()).observations(), started, underWay,
                        InterruptedTrials.find(checkpoints, sweep, checksum, started), shared)
                : TrialSource.of(planned.stream().filter(t -> !started.contains(t.id())
                        && (!finalists || searched.contains(seedOf(t)))).toList());
        AshaTrials source = new AshaTrials(sweep, checksum, fresh, Rungs.of(a.minIterations(), a.maxIterations(),
                a.reductionFactor()), checkpoints, a.keepCheckpoints(),
                new SeedPolicy(!a.completeSeeds() ? 0 : finalists ? searched.size()
                        : SpaceExpander.seedsPerConfiguration(sweep), later, shared), history, finished);
        if (a.completeSeeds()) {
            // Trials of this sweep that trained their whole budget without its rung records (adopted from another
            // sweep, or trained before it ran under ASHA): their configurations have completed.
            // A trial --retry trains again is not finished, whatever its latest row says.
            new SweepHistory(store, sweep.name()).completeTrials().forEach((id, configuration) -> {
                if (finished.contains(id)) {
                    source.completedElsewhere(id, configuration);
                }
            });
        }
        // Not skipped: finished seeds this run completes after all (their configuration completed on another seed).
        long skipped = own.stream().filter(id -> finished.contains(id) && !source.reopened().contains(id)).count();
        return runner.run(sweep.name(), source, context, (int) skipped);
    }

    /** The search algorithm, and with asha.other-seeds = finalists which seeds search and which only finalists get. */
    static String searchInWords(SweepDefinition sweep) {
        String algorithm = sweep.search().algorithm().id();
        if (!SpaceExpander.finalistSeeds(sweep)) {
            return algorithm; // before the seed list: a grid's may depend on another parameter
        }
        List<Long> seeds = SpaceExpander.seeds(sweep);
        if (seeds.size() < 2) {
            return algorithm;
        }
        return algorithm + ", searching on seed " + seeds.get(0) + "; seed" + (seeds.size() == 2 ? " " : "s ")
                + seeds.subList(1, seeds.size()).stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + " for the finalists";
    }

    private static long seedOf(Trial trial) {
        return ((Number) trial.configuration().get(dev.sparksweep.search.params.Params.SEED.key())).longValue();
    }

    /** Adopts a trial the search needs that another sweep already trained, and says so the first time. */
    private SharedResults sharedResults(LeaderboardStore store, String sweep) {
        SweepHistory history = new SweepHistory(store, sweep);
        return trialId -> {
            Optional<SweepHistory.Adoption> adopted = history.adopt(trialId);
            if (adopted.isPresent() && adopted.get().recorded()) {
                main.out.printf("sweep '%s': trial %s was trained by another sweep; it counts as this sweep's too%n",
                        sweep, trialId);
            }
            return adopted.map(a -> new SharedResults.Adopted(a.score(), a.complete(), a.recorded()));
        };
    }

    private Set<String> retryStatuses() {
        Set<String> statuses = new LinkedHashSet<>();
        for (String s : retry) {
            String status = s.strip();
            if (!LeaderboardStore.FINISHED_STATUSES.contains(status)) {
                throw new UsageException("--retry takes statuses among " + LeaderboardStore.FINISHED_STATUSES
                        + " (failed trials are always retried), not '" + status + "'");
            }
            statuses.add(status);
        }
        return statuses;
    }
}
