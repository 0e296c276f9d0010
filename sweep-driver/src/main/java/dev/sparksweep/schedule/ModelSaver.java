package dev.sparksweep.schedule;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.model.NetworkFactory;
import dev.sparksweep.saved.InputShape;
import dev.sparksweep.saved.ModelCard;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.NetworkSink;
import dev.sparksweep.train.RuntimeVersions;
import dev.sparksweep.train.TrialResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On the executor, saves the network of a trial that completed its budget as {@code <modelsDir>/<trial id>.zip}
 * with its card, and remembers where; the driver then decides whether it is kept ({@link ModelKeeper}). A model that
 * cannot be written is logged and left out (the trial's results stand; its row says no model).
 */
public final class ModelSaver implements NetworkSink {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSaver.class);

    private final Trial trial;
    private final String sweep;
    private final DatasetSplits data;
    private final Path file;
    private volatile String saved;

    ModelSaver(Trial trial, String sweep, DatasetSplits data, Path modelsDir) {
        this.trial = trial;
        this.sweep = sweep;
        this.data = data;
        this.file = modelsDir.resolve(trial.id() + ".zip");
    }

    @Override
    public void finished(MultiLayerNetwork network, TrialResult result) {
        try {
            new SavedModel(network, card(trial.id(), trial.configId(), sweep, trial.model().describe(),
                    trial.configuration(), data, result, Map.of())).write(file);
            saved = file.toString();
            LOG.info("trial {}: model saved to {}", trial.id(), file);
        } catch (RuntimeException e) {
            LOG.warn("trial {}: its model could not be saved to {}: {}", trial.id(), file, e.toString());
        }
    }

    /** Where the model was saved; null if it was not. */
    String saved() {
        return saved;
    }

    /**
     * The card of a trained network: what it is, what it was trained on, what it measured.
     *
     * @param trialId    the trial it is (null for a refit)
     * @param provenance what to record besides the versions and time (e.g. what a refit was refitted from)
     */
    public static ModelCard card(String trialId, String configId, String sweep, String model,
                                 Map<String, Object> configuration, DatasetSplits data, TrialResult result,
                                 Map<String, String> provenance) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        configuration.forEach((k, v) -> parameters.put(k, v instanceof Number || v instanceof Boolean ? v
                : String.valueOf(v)));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("best_validation_accuracy", result.bestValidationAccuracy());
        metrics.put("final_validation_accuracy", result.finalValidationAccuracy());
        metrics.put("test_accuracy", result.testAccuracy());
        metrics.put("final_loss", result.finalLoss());
        metrics.put("iterations", result.iterationsDone());
        metrics.put("train_seconds", result.trainSeconds());
        metrics.put("parameter_count", result.parameterCount());
        Map<String, String> versions = new LinkedHashMap<>(provenance);
        versions.put("sparksweep", RuntimeVersions.sparksweep());
        versions.put("dl4j", RuntimeVersions.dl4j());
        versions.put("nd4j", RuntimeVersions.nd4j());
        versions.put("backend", RuntimeVersions.backend());
        versions.put("java", System.getProperty("java.version"));
        versions.put("saved_at", Instant.now().toString());
        return new ModelCard(trialId, configId, sweep, model, parameters,
                data.dataset().id(), data.checksum(), data.train().count(), data.validation().count(),
                new InputShape(NetworkFactory.TIME_STEPS, NetworkFactory.FEATURES, NetworkFactory.CLASSES), metrics,
                versions, null);
    }
}
