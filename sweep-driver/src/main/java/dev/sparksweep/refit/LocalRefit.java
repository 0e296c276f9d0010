package dev.sparksweep.refit;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.schedule.ModelSaver;
import dev.sparksweep.search.params.Configurations;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.IterationListener;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.StopRules;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A refit in this JVM: the chosen configuration trained from scratch on the given training images (the sweep's
 * training and validation images together), tested on the whole test set, and saved with its card.
 */
public final class LocalRefit {

    private LocalRefit() {
    }

    /** The configuration {@code source} chose, with {@code iterations} (0: its own) as the budget. */
    static Map<String, Object> configuration(RefitSource source, int iterations) {
        Map<String, Object> c = new LinkedHashMap<>(source.configuration());
        if (iterations > 0) {
            c.put(Params.ITERATIONS.key(), iterations);
        }
        return c;
    }

    /**
     * @param data      training images (no validation split) and the test images
     * @param modelFile where to save the model ({@code .zip}, with its card beside it)
     * @throws IllegalStateException when training did not finish ok (diverged, failed): nothing is saved
     */
    public static RefitOutcome train(RefitSource source, RefitSettings settings, DatasetSplits data, String modelId,
                                     Path modelFile, PrintStream out) {
        Map<String, Object> configuration = configuration(source, settings.iterations());
        ModelSpec model = Configurations.model(configuration);
        int budget = ((Number) configuration.get(Params.ITERATIONS.key())).intValue();
        // One evaluation, at the end: there is no validation split to follow, and the test set is measured once.
        TrainingConfig training = Configurations.training(configuration, budget, settings.evalBatchSize(),
                settings.threads(), false);
        long start = System.nanoTime();
        Map<String, String> provenance = Map.of("refit_of_trial", source.trialId(), "refit_mode", "one JVM");
        TrialResult result = new RecurrentTrainer().trainSegment(model, training, data, StopRules.DEFAULT,
                progress(budget, out), null, budget, null, (network, r) -> new SavedModel(network,
                        ModelSaver.card(null, source.configId(), source.sweep(), model.describe(), configuration,
                                data, r, provenance)).write(modelFile));
        if (result.status() != TrialStatus.OK) {
            throw new IllegalStateException("the refit of " + model.describe() + " ended " + result.status().id()
                    + ": " + result.error());
        }
        if (!java.nio.file.Files.isRegularFile(modelFile)) {
            throw new IllegalStateException("the refitted model could not be saved to " + modelFile + " (see the"
                    + " log)");
        }
        return new RefitOutcome(modelId, modelFile, source, result, data.train().count(), data.test().count(), budget,
                training.batchSize(), training.seed(), (System.nanoTime() - start) / 1e9, false, 1, null, "local");
    }

    /** Prints the iterations done, speed and time left about every 5 % of the budget. */
    static IterationListener progress(int budget, PrintStream out) {
        long start = System.nanoTime();
        int every = Math.max(1, budget / 20);
        return (iteration, total) -> {
            if (iteration % every == 0 && iteration < budget) {
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = iteration / seconds;
                out.printf(Locale.ROOT, "refit: %d/%d iterations, %.1f it/s, ETA %.0fs%n", iteration, budget, rate,
                        (budget - iteration) / rate);
            }
        };
    }
}
