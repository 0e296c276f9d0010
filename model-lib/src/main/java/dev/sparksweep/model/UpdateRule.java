package dev.sparksweep.model;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;
import java.util.Objects;

/**
 * How a network turns gradients into parameter updates, in DL4J's terms: the updater (with its learning rate or
 * learning-rate schedule), the regularization of every parameter, and gradient clipping. {@link NetworkFactory} puts
 * them on every layer; {@code dev.sparksweep.train.UpdateRules} derives one from a trial's training settings.
 *
 * @param updater        DL4J's updater configuration, e.g. {@code new Adam(1e-3)}
 * @param regularization applied to weights and biases alike, as PyTorch's {@code weight_decay} applies to every
 *                       parameter; empty for none
 * @param clipNorm       each layer's gradient is scaled down to this L2 norm when above it (DL4J's
 *                       {@code GradientNormalization.ClipL2PerLayer}); 0 for no clipping
 */
public record UpdateRule(IUpdater updater, List<Regularization> regularization, double clipNorm) {

    public UpdateRule {
        Objects.requireNonNull(updater, "updater");
        regularization = List.copyOf(regularization);
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be 0 (no clipping) or a positive number, got "
                    + clipNorm);
        }
    }

    /** This updater alone: no regularization, no clipping. */
    public static UpdateRule of(IUpdater updater) {
        return new UpdateRule(updater, List.of(), 0.0);
    }
}
