package dev.sparksweep.train;

import dev.sparksweep.model.UpdateRule;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;
import java.util.Optional;

/**
 * Translates a trial's {@link TrainingConfig} (learning rate, budget, {@link Optimization}) into DL4J's
 * {@link UpdateRule}, as close to PyTorch's optimizers as DL4J 1.0.0-M2.1 allows:
 * <ul>
 *   <li>adam: DL4J's {@link Adam} (betas 0.9 / 0.999, epsilon 1e-8, as PyTorch). DL4J adds epsilon to the square
 *       root of the uncorrected second moment, PyTorch to that of the bias-corrected one: a difference only while
 *       that root is near epsilon.</li>
 *   <li>adamw: DL4J has no AdamW updater; {@link Adam} plus {@link WeightDecay} with {@code applyLR} is AdamW.
 *       WeightDecay runs after the updater and adds {@code lr(t) * weightDecay * w} to the update, so the weights
 *       shrink by that amount independently of Adam's scaling: PyTorch's {@code w *= 1 - lr * weightDecay}.</li>
 *   <li>sgd: {@link Nesterovs}, DL4J's only momentum updater, is Nesterov momentum: PyTorch's
 *       {@code SGD(momentum, nesterov=True)}, not its default heavy-ball momentum (the two differ by where the
 *       momentum looks ahead). With momentum 0 it is plain {@link Sgd}.</li>
 *   <li>rmsprop: {@link RmsProp} with a squared-gradient decay of 0.99 and epsilon 1e-8 (PyTorch's alpha and eps;
 *       DL4J's own default decay is 0.95), epsilon added outside the square root as in PyTorch; DL4J starts the
 *       squared-gradient average at epsilon where PyTorch starts it at 0 (a 1e-8 difference). DL4J's RMSProp has no
 *       momentum and no centred variant.</li>
 *   <li>weight decay for adam, sgd and rmsprop: {@link L2Regularization}, which adds {@code weightDecay * w} to the
 *       gradient before the updater, as PyTorch's {@code weight_decay} does for these optimizers.</li>
 *   <li>clipping: DL4J's {@code ClipL2PerLayer} scales each layer's gradient (all its parameters together; both
 *       directions of a bidirectional layer together) to at most {@code clipNorm}. PyTorch's
 *       {@code clip_grad_norm_} clips the norm of all gradients of the network together, so with the same threshold
 *       DL4J clips less: each layer may keep a norm up to the threshold.</li>
 * </ul>
 * DL4J adds {@code 0.5 * weightDecay * |w|^2} (L2 or weight decay alike) to the score it reports; the trainer
 * subtracts it, so reported losses are cross-entropy alone, comparable across weight decays.
 */
public final class UpdateRules {

    /** PyTorch's {@code RMSprop(alpha=0.99)}. */
    static final double RMSPROP_DECAY = 0.99;
    static final double RMSPROP_EPSILON = 1e-8;

    private UpdateRules() {
    }

    /** The update rule a trial trains with; {@link Optimization#DEFAULT} gives exactly {@code new Adam(lr)}. */
    public static UpdateRule of(TrainingConfig config) {
        Optimization o = config.optimization();
        double lr = config.learningRate();
        Optional<ISchedule> schedule = LearningRates.schedule(lr, o, config.iterations());
        return new UpdateRule(updater(o, lr, schedule), regularization(o), o.clipNorm());
    }

    private static IUpdater updater(Optimization o, double lr, Optional<ISchedule> schedule) {
        return switch (o.optimizer()) {
            case ADAM, ADAMW -> schedule.map(Adam::new).orElseGet(() -> new Adam(lr));
            case SGD -> o.momentum() == 0
                    ? schedule.map(Sgd::new).orElseGet(() -> new Sgd(lr))
                    : schedule.map(s -> new Nesterovs(s, o.momentum()))
                            .orElseGet(() -> new Nesterovs(lr, o.momentum()));
            case RMSPROP -> {
                RmsProp rmsProp = schedule.map(RmsProp::new).orElseGet(() -> new RmsProp(lr));
                rmsProp.setRmsDecay(RMSPROP_DECAY);
                rmsProp.setEpsilon(RMSPROP_EPSILON);
                yield rmsProp;
            }
        };
    }

    private static List<Regularization> regularization(Optimization o) {
        if (o.weightDecay() == 0) {
            return List.of();
        }
        return List.of(o.optimizer() == Optimizer.ADAMW
                ? new WeightDecay(o.weightDecay(), true)
                : new L2Regularization(o.weightDecay()));
    }
}
