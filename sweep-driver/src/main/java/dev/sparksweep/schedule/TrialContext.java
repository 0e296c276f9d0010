package dev.sparksweep.schedule;

import dev.sparksweep.search.SaveModels;
import dev.sparksweep.train.StopRules;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an executor needs besides the trial itself: where the data lives and where to fetch it from if missing, when
 * the trial stops early (time limit, divergence) and how to check its GPU. Paths travel as strings because
 * {@link java.nio.file.Path} is not serializable. The stop rules are the sweep's, not the trial's: they are not part
 * of its id.
 *
 * @param timeLimitSeconds    wall time a trial may train, 0 for none
 * @param divergenceLossRatio see {@link StopRules#divergenceLossRatio()}
 * @param divergencePatience  see {@link StopRules#divergencePatience()}; 0 turns the loss-ratio rule off
 * @param modelsDir           where a trial that completes its budget saves its network ({@code <id>.zip} and
 *                            {@code <id>.json}); null when the sweep keeps none
 * @param sweepName           the sweep, for the saved models' cards
 * @param saveModels          which saved models the driver keeps ({@link ModelKeeper})
 * @param progressDir         where whole trials save their progress ({@code <trial>/progress.ckpt}); null for never
 * @param progressEveryMillis the least wall time between two progress saves of a trial, in milliseconds
 */
public record TrialContext(String dataDir, List<String> dataSources, String sparkVersion, long timeLimitSeconds,
                           String nvidiaSmi, double divergenceLossRatio, int divergencePatience, String modelsDir,
                           String sweepName, SaveModels saveModels, String progressDir, long progressEveryMillis)
        implements Serializable {

    /** A trial's progress checkpoint in its folder under {@code progressDir}. */
    static final String PROGRESS_FILE = "progress.ckpt";

    public TrialContext {
        dataSources = List.copyOf(dataSources);
        stopRules(timeLimitSeconds, divergenceLossRatio, divergencePatience); // fail on the driver, not per task
    }

    /** With the default divergence rules ({@link StopRules#DEFAULT}). */
    public TrialContext(String dataDir, List<String> dataSources, String sparkVersion, long timeLimitSeconds,
                        String nvidiaSmi) {
        this(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi,
                StopRules.DEFAULT.divergenceLossRatio(), StopRules.DEFAULT.divergencePatience(), null, null,
                SaveModels.DEFAULT, null, 0);
    }

    public TrialContext(String dataDir, List<String> dataSources, String sparkVersion) {
        this(dataDir, dataSources, sparkVersion, 0, "nvidia-smi");
    }

    /** This context with a sweep's divergence settings ({@link dev.sparksweep.search.SweepDefinition}). */
    public TrialContext withDivergence(double lossRatio, int patience) {
        return new TrialContext(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi, lossRatio, patience,
                modelsDir, sweepName, saveModels, progressDir, progressEveryMillis);
    }

    /**
     * This context saving the networks of sweep {@code sweep}'s completed trials in {@code dir}, kept as
     * {@code policy} says (none: {@code dir} is not used).
     */
    public TrialContext withModels(String dir, String sweep, SaveModels policy) {
        return new TrialContext(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi, divergenceLossRatio,
                divergencePatience, policy.any() ? dir : null, sweep, policy, progressDir, progressEveryMillis);
    }

    /** This context with whole trials saving their progress under {@code dir}, at most every {@code every} (0: never). */
    public TrialContext withProgress(String dir, Duration every) {
        return new TrialContext(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi, divergenceLossRatio,
                divergencePatience, modelsDir, sweepName, saveModels, every.isZero() ? null : dir,
                Math.max(1, every.toMillis()));
    }

    /** Where trial {@code trialId} saves its progress; null when trials save none. */
    public Path progressFile(String trialId) {
        return progressDir == null ? null : Path.of(progressDir, trialId, PROGRESS_FILE);
    }

    /** The rules a trial trains under. */
    public StopRules stopRules() {
        return stopRules(timeLimitSeconds, divergenceLossRatio, divergencePatience);
    }

    private static StopRules stopRules(long timeLimitSeconds, double lossRatio, int patience) {
        return new StopRules(Duration.ofSeconds(timeLimitSeconds), lossRatio, patience);
    }
}
