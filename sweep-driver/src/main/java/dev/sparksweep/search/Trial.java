package dev.sparksweep.search;

import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.train.TrainingConfig;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(model, training, data, checksum).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String canonical(ModelSpec m, TrainingConfig t, DataSpec d, String checksum) {
        return "family=" + m.family().id()
                + ";layers=" + m.layers()
                + ";hidden=" + m.hidden()
                + ";activation=" + (m.activation() == null ? "" : m.activation().id())
                + ";extra_fc=" + m.extraFc()
                + ";bidirectional=" + m.bidirectional()
                + ";learning_rate=" + number(t.learningRate())
                + ";batch_size=" + t.batchSize()
                + ";iterations=" + t.iterations()
                + ";seed=" + t.seed()
                + ";dataset=" + d.dataset().id()
                + ";validation_size=" + d.validationSize()
                + ";train_limit=" + d.trainLimit()
                + ";test_limit=" + d.testLimit()
                + ";dataset_checksum=" + checksum;
    }

    /** 1e-3 and 0.001 are the same learning rate and must give the same id. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
