package dev.sparksweep.saved;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a saved network is, as the JSON file beside its model zip says it: where it came from (trial, configuration,
 * sweep; null for a refit's trial), every hyperparameter, the data it was trained on, the {@link InputShape} it takes,
 * what it measured, provenance, and the SHA-256 of the model file, so a damaged or swapped file is found before use.
 *
 * @param model         the network, described (e.g. {@code lstm-2x128})
 * @param parameters    every hyperparameter by its sweep-file name, values as JSON scalars
 * @param trainImages   images it was trained on (the validation images too, for a refit)
 * @param metrics       accuracies as fractions (validation, test), iterations, seconds
 * @param provenance    versions, host, when
 * @param modelSha256   SHA-256 of the model zip, hex
 */
public record ModelCard(String trialId, String configId, String sweep, String model, Map<String, Object> parameters,
                        String dataset, String datasetChecksum, int trainImages, int validationImages,
                        InputShape input, Map<String, Object> metrics, Map<String, String> provenance,
                        String modelSha256) {

    /** Version of the card's layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelCard {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(input, "input");
        parameters = present(parameters);
        metrics = present(metrics);
        provenance = present(provenance);
    }

    /** A copy without the entries that hold nothing: null, or a number not measured (NaN). */
    private static <V> Map<String, V> present(Map<String, V> values) {
        Map<String, V> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !(v instanceof Double d && !Double.isFinite(d))) {
                out.put(k, v);
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** This card for the model file with digest {@code sha256}. */
    public ModelCard withModelSha256(String sha256) {
        return new ModelCard(trialId, configId, sweep, model, parameters, dataset, datasetChecksum, trainImages,
                validationImages, input, metrics, provenance, sha256);
    }

    /** A metric as a number; NaN when the card does not have it. */
    public double metric(String name) {
        return metrics.get(name) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT_VERSION);
        m.put("trial_id", trialId);
        m.put("config_id", configId);
        m.put("sweep", sweep);
        m.put("model", model);
        m.put("parameters", new java.util.TreeMap<>(parameters));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", dataset);
        data.put("checksum", datasetChecksum);
        data.put("train_images", trainImages);
        data.put("validation_images", validationImages);
        m.put("dataset", data);
        m.put("input", input.toMap());
        m.put("metrics", new java.util.TreeMap<>(metrics));
        m.put("provenance", new java.util.TreeMap<>(provenance));
        m.put("model_sha256", modelSha256);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model card that cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** @throws ModelFileException naming {@code source} and what is missing or wrong */
    public static ModelCard fromJson(String json, Path source) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new ModelFileException(source, "not a readable model card (JSON): " + e.getOriginalMessage(), e);
        }
        Fields f = new Fields(m, source);
        int format = f.integer("format");
        if (format != FORMAT_VERSION) {
            throw new ModelFileException(source, "model card format " + format + "; this sparksweep reads version "
                    + FORMAT_VERSION + " only");
        }
        Fields data = f.object("dataset");
        Fields input = f.object("input");
        Map<String, String> provenance = new LinkedHashMap<>();
        f.object("provenance").values.forEach((k, v) -> provenance.put(k, String.valueOf(v)));
        return new ModelCard(f.textOrNull("trial_id"), f.textOrNull("config_id"), f.textOrNull("sweep"),
                f.text("model"), f.object("parameters").values, data.text("id"), data.textOrNull("checksum"),
                data.integer("train_images"), data.integer("validation_images"),
                new InputShape(input.integer("rows"), input.integer("cols"), input.integer("classes")),
                f.object("metrics").values, provenance, f.text("model_sha256"));
    }

    /** Typed access to a JSON object's fields, each failure naming the file and key. */
    private record Fields(Map<String, Object> values, Path source) {

        Object required(String key) {
            Object v = values.get(key);
            if (v == null) {
                throw new ModelFileException(source, "the model card has no " + key);
            }
            return v;
        }

        String text(String key) {
            return String.valueOf(required(key));
        }

        String textOrNull(String key) {
            Object v = values.get(key);
            return v == null ? null : String.valueOf(v);
        }

        int integer(String key) {
            if (required(key) instanceof Number n && n.doubleValue() == n.intValue()) {
                return n.intValue();
            }
            throw new ModelFileException(source, "the model card's " + key + " is not a whole number: "
                    + values.get(key));
        }

        @SuppressWarnings("unchecked")
        Fields object(String key) {
            if (required(key) instanceof Map<?, ?> map) {
                return new Fields((Map<String, Object>) map, source);
            }
            throw new ModelFileException(source, "the model card's " + key + " is not an object: " + values.get(key));
        }
    }
}
