package dev.sparksweep.train;

import dev.sparksweep.model.ModelSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Everything besides the network (its parameters, updater state and iteration count, which DL4J saves itself) that
 * decides how a trial continues and what it has measured so far, at the end of iteration {@code iteration}. With it,
 * training from a {@link Checkpoint} to iteration r2 draws the same mini-batches, the same dropout masks and records
 * the same curve as training straight through to r2.
 *
 * <p>Immutable: the order array and the shuffle generator are copied on the way in and out. As in any record with
 * an array component, {@code equals} compares those two by identity; compare their contents where that matters.
 *
 * @param model                  the trial's model
 * @param config                 the trial's training settings; its {@code iterations} is the whole budget, which
 *                               learning-rate schedules such as cosine span, not this segment's end
 * @param data                   the splits it trains and validates on
 * @param iteration              iterations done (the last one at which DL4J's {@code fit} ran)
 * @param order                  this epoch's shuffled order of the training images
 * @param position               how many of {@code order} this epoch has used; the next batch starts there
 * @param shuffle                the generator that shuffles the next epoch, in its current state
 * @param nd4jRootState          ND4J's random generator of the training thread (dropout masks) as
 *                               {@code Nd4j.getRandom().rootState()}
 * @param nd4jNodeState          and {@code nodeState()}
 * @param windowLossSum          sum of the training losses since the last evaluation point
 * @param windowSize             iterations since the last evaluation point
 * @param startingLoss           loss of iteration 1, the divergence yardstick ({@link StopRules})
 * @param windowsAbove           evaluation windows in a row with a mean loss above the divergence limit
 * @param curve                  the learning curve so far
 * @param bestValidationAccuracy NaN if never validated
 * @param bestIteration          0 if never validated
 * @param lastValidationAccuracy at the last evaluation point; NaN if none
 * @param lastLoss               training loss of iteration {@code iteration}
 * @param trainNanos             time spent in training steps, over all segments so far
 * @param wallNanos              wall time of all segments so far, evaluation included
 * @param parameterCount         the network's parameters
 */
public record TrainingState(ModelSpec model, TrainingConfig config, DataIdentity data, int iteration, int[] order,
                            int position, Random shuffle, long nd4jRootState, long nd4jNodeState,
                            double windowLossSum, int windowSize, double startingLoss, int windowsAbove,
                            List<CurvePoint> curve, double bestValidationAccuracy, int bestIteration,
                            double lastValidationAccuracy, double lastLoss, long trainNanos, long wallNanos,
                            long parameterCount) implements Serializable {

    public TrainingState {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        if (iteration < 1 || iteration > config.iterations()) {
            throw new IllegalArgumentException("iteration must be within 1.." + config.iterations() + ", got "
                    + iteration);
        }
        if (order.length != data.trainCount()) {
            throw new IllegalArgumentException("the batch order covers " + order.length + " images, the training "
                    + "split has " + data.trainCount());
        }
        if (position < 0 || position > order.length) {
            throw new IllegalArgumentException("position " + position + " is outside the order of " + order.length
                    + " images");
        }
        if (windowSize < 0 || windowsAbove < 0 || trainNanos < 0 || wallNanos < 0 || parameterCount < 1) {
            throw new IllegalArgumentException("negative counts or times in a training state");
        }
        order = order.clone();
        shuffle = copy(shuffle);
        curve = List.copyOf(curve);
    }

    /** A copy: the state stays as saved. */
    @Override
    public int[] order() {
        return order.clone();
    }

    /** A copy in the same state: drawing from it leaves this state unchanged. */
    @Override
    public Random shuffle() {
        return copy(shuffle);
    }

    /**
     * Why this state cannot continue the trial of {@code model}, {@code config} and {@code data}, or empty if it can.
     * Everything that decides what the trial learns or records must be the same; threads and the evaluation batch
     * size, which only decide speed, may differ. So may the budget, unless the learning-rate schedule spans it
     * ({@link LrScheduleKind#spansBudget}): a trial of a longer budget then continues a shorter one's state, and
     * ends as if trained straight through when the state's iteration is one of its evaluation points (a multiple of
     * {@code evalEvery}; a segment end is always one, so another adds a curve point straight training would not).
     */
    public Optional<String> mismatch(ModelSpec model, TrainingConfig config, DataIdentity data) {
        if (!this.model.equals(model)) {
            return Optional.of("it holds a trial of " + this.model.describe() + ", not " + model.describe()
                    + (this.model.describe().equals(model.describe()) ? " (" + this.model + " vs " + model + ")" : ""));
        }
        List<String> differences = new ArrayList<>();
        if (this.config.iterations() != config.iterations() && config.optimization().schedule().spansBudget()) {
            // Elsewhere the budget decides nothing before it is reached: a longer budget continues this state.
            differences.add("iterations (the budget) " + this.config.iterations() + " in the checkpoint, "
                    + config.iterations() + " now, and the " + config.optimization().schedule().id()
                    + " schedule spans the budget");
        }
        differ(differences, "batch size", this.config.batchSize(), config.batchSize());
        differ(differences, "learning rate", this.config.learningRate(), config.learningRate());
        differ(differences, "seed", this.config.seed(), config.seed());
        differ(differences, "eval-every", this.config.evalEvery(), config.evalEvery());
        differ(differences, "test curve", this.config.testCurve(), config.testCurve());
        differ(differences, "optimization", this.config.optimization(), config.optimization());
        differ(differences, "augmentation", this.config.augmentation(), config.augmentation());
        if (!differences.isEmpty()) {
            return Optional.of("it was trained with other settings: " + String.join("; ", differences));
        }
        if (!this.data.equals(data)) {
            return Optional.of("it was trained on " + this.data.describe() + ", not on " + data.describe());
        }
        return Optional.empty();
    }

    private static void differ(List<String> differences, String what, Object saved, Object wanted) {
        if (!saved.equals(wanted)) {
            differences.add(what + " " + saved + " in the checkpoint, " + wanted + " now");
        }
    }

    /**
     * {@link Random} keeps its state private; its serialized form is the one public way to copy it exactly, and it is
     * how the state travels in a checkpoint anyway.
     */
    private static Random copy(Random random) {
        Objects.requireNonNull(random, "shuffle generator");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Random) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
