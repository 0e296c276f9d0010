package dev.sparksweep.search;

import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.search.params.Configurations;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.TrainingConfig;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One point of a search space, ready to train.
 *
 * @param id              stable identity: a hash of {@link #canonical()}, so the same trial always gets the same id
 * @param datasetChecksum identity of the dataset files the trial is meant to train on
 */
public record Trial(String id, ModelSpec model, TrainingConfig training, DataSpec data, String datasetChecksum)
        implements Serializable {

    public static Trial of(ModelSpec model, TrainingConfig training, DataSpec data, String datasetChecksum) {
        return new Trial(idOf(model, training, data, datasetChecksum), model, training, data, datasetChecksum);
    }

    /**
     * Everything that decides what the trial learns, in a fixed order and format. Evaluation cadence and thread count
     * only change how fast or how often it is measured, so they are left out.
     */
    public String canonical() {
        return canonical(model, training, data, datasetChecksum);
    }

    public String describe() {
        return model.describe() + " lr=" + number(training.learningRate()) + " batch=" + training.batchSize()
                + " iters=" + training.iterations() + " seed=" + training.seed();
    }

    static String idOf(ModelSpec model, TrainingConfig training, DataSpec data, String checksum) {
        return hash(canonical(model, training, data, checksum));
    }

    private static String hash(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Derived from the declarations ({@link Params#ALL}): the original parameters always, in their order, then the
     * data, then each later parameter only where it differs from the value trials had before it was declared
     * ({@link Param#predated}), so that ids issued before it existed still name the same trials.
     */
    private static String canonical(ModelSpec m, TrainingConfig t, DataSpec d, String checksum) {
        return canonical(Configurations.of(m, t), d, checksum, true);
    }

    private static String canonical(Map<String, Object> c, DataSpec d, String checksum, boolean withSeed) {
        StringBuilder s = new StringBuilder();
        for (Param p : Params.ALL) {
            if (p.alwaysInId() && (withSeed || p != Params.SEED)) {
                s.append(s.isEmpty() ? "" : ";").append(p.column()).append('=').append(Param.format(c.get(p.key())));
            }
        }
        s.append(";dataset=").append(d.dataset().id())
                .append(";validation_size=").append(d.validationSize())
                .append(";train_limit=").append(d.trainLimit())
                .append(";test_limit=").append(d.testLimit())
                .append(";dataset_checksum=").append(checksum);
        for (Param p : Params.ALL) {
            Object value = c.get(p.key());
            if (!p.alwaysInId() && value != null && !value.equals(p.predated())) {
                s.append(';').append(p.column()).append('=').append(Param.format(value));
            }
        }
        return s.toString();
    }

    /** The configuration: every declared parameter's value ({@code null} where one does not apply). */
    public Map<String, Object> configuration() {
        return Configurations.of(model, training);
    }

    /** Identity of everything but the seed: repeats of one configuration over seeds share it. */
    public String configId() {
        return configIdOf(configuration(), data, datasetChecksum);
    }

    /** The config id of a configuration (a leaderboard row's parameters), as {@link #configId()} computes it. */
    public static String configIdOf(Map<String, Object> configuration, DataSpec data, String datasetChecksum) {
        return hash(canonical(configuration, data, datasetChecksum, false));
    }

    /** 1e-3 and 0.001 are the same learning rate and must give the same id. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
