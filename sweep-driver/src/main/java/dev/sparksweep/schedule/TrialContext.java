package dev.sparksweep.schedule;

import dev.sparksweep.search.SaveModels;
import dev.sparksweep.train.StopRules;

import java.io.Serializable;
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
 */
public record TrialContext(String dataDir, List<String> dataSources, String sparkVersion, long timeLimitSeconds,
                           String nvidiaSmi, double divergenceLossRatio, int divergencePatience, String modelsDir,
                           String sweepName, SaveModels saveModels)
        implements Serializable {

    public TrialContext {
        dataSources = List.copyOf(dataSources);
        stopRules(timeLimitSeconds, divergenceLossRatio, divergencePatience); // fail on the driver, not per task
    }

    /** With the default divergence rules ({@link StopRules#DEFAULT}). */
    public TrialContext(String dataDir, List<String> dataSources, String sparkVersion, long timeLimitSeconds,
                        String nvidiaSmi) {
        this(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi,
                StopRules.DEFAULT.divergenceLossRatio(), StopRules.DEFAULT.divergencePatience(), null, null,
                SaveModels.DEFAULT);
    }

    public TrialContext(String dataDir, List<String> dataSources, String sparkVersion) {
        this(dataDir, dataSources, sparkVersion, 0, "nvidia-smi");
    }

    /** This context with a sweep's divergence settings ({@link dev.sparksweep.search.SweepDefinition}). */
    public TrialContext withDivergence(double lossRatio, int patience) {
        return new TrialContext(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi, lossRatio, patience,
                modelsDir, sweepName, saveModels);
    }

    /**
     * This context saving the networks of sweep {@code sweep}'s completed trials in {@code dir}, kept as
     * {@code policy} says (none: {@code dir} is not used).
     */
    public TrialContext withModels(String dir, String sweep, SaveModels policy) {
        return new TrialContext(dataDir, dataSources, sparkVersion, timeLimitSeconds, nvidiaSmi, divergenceLossRatio,
                divergencePatience, policy.any() ? dir : null, sweep, policy);
    }

    /** The rules a trial trains under. */
    public StopRules stopRules() {
        return stopRules(timeLimitSeconds, divergenceLossRatio, divergencePatience);
    }

    private static StopRules stopRules(long timeLimitSeconds, double lossRatio, int patience) {
        return new StopRules(Duration.ofSeconds(timeLimitSeconds), lossRatio, patience);
    }
}
