package dev.sparksweep.search.params;

import dev.sparksweep.search.params.Param.Kind;
import dev.sparksweep.train.Augmentation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every hyperparameter sparksweep searches, declared once, in the order of trial ids and leaderboard columns. The
 * first ten are the original ones and are always part of a trial's id; those after them default to what training did
 * before they existed and enter the id only when they differ from that default, so every existing id stays.
 *
 * <p>Adding a hyperparameter means adding its declaration here and using its value where the model or the training is
 * built ({@link Configurations}); the sweep file's {@code space} key, validation, grid and samplers, the trial id,
 * the leaderboard column and its rows follow from the declaration.
 */
public final class Params {

    private static final double NO_MAX = Double.POSITIVE_INFINITY;
    private static final Predicate<Map<String, Object>> ALWAYS = c -> true;

    public static final Param FAMILY = new Param("family", "family", Kind.CATEGORICAL, List.of("rnn", "lstm", "gru"),
            0, 0, false, "lstm", ALWAYS, true, "recurrent cell: rnn, lstm or gru");
    public static final Param LAYERS = new Param("layers", "layers", Kind.INT, List.of(), 1, 16, false, 2, ALWAYS,
            true, "stacked recurrent layers (may be given per family)");
    public static final Param HIDDEN = new Param("hidden", "hidden", Kind.INT, List.of(), 1, 65_536, false, 128, ALWAYS,
            true, "units per recurrent layer");
    public static final Param ACTIVATION = new Param("activation", "activation", Kind.CATEGORICAL,
            List.of("tanh", "relu"), 0, 0, false, "tanh", c -> "rnn".equals(c.get("family")), true,
            "rnn cell non-linearity (rnn only)");
    public static final Param EXTRA_FC = new Param("extra-fc", "extra_fc", Kind.BOOL, List.of(), 0, 0, false, false,
            ALWAYS, true, "Dense(hidden) + ReLU before the softmax readout");
    public static final Param BIDIRECTIONAL = new Param("bidirectional", "bidirectional", Kind.BOOL, List.of(), 0, 0,
            false, false, ALWAYS, true, "bidirectional recurrent layers");
    public static final Param LEARNING_RATE = new Param("learning-rate", "learning_rate", Kind.REAL, List.of(), 0,
            NO_MAX, true, 0.001, ALWAYS, true, "peak learning rate");
    public static final Param BATCH_SIZE = new Param("batch-size", "batch_size", Kind.INT, List.of(), 1, 1_000_000,
            false, 100, ALWAYS, true, "mini-batch size");
    public static final Param ITERATIONS = new Param("iterations", "iterations", Kind.INT, List.of(), 1,
            Integer.MAX_VALUE, false, 3000, ALWAYS, true, "iteration budget (mini-batches)");
    public static final Param SEED = new Param("seed", "seed", Kind.LONG, List.of(), -9e15, 9e15, false, 42L, ALWAYS,
            true, "initialisation and shuffling seed");

    public static final Param DROPOUT = new Param("dropout", "dropout", Kind.REAL, List.of(), 0, 0.95, false, 0.0,
            c -> ((Number) c.get("layers")).intValue() > 1, false,
            "dropout between stacked recurrent layers (PyTorch's convention; needs 2+ layers)");
    public static final Param OPTIMIZER = new Param("optimizer", "optimizer", Kind.CATEGORICAL,
            List.of("adam", "adamw", "sgd", "rmsprop"), 0, 0, false, "adam", ALWAYS, false,
            "adam, adamw (decoupled weight decay), sgd (with momentum) or rmsprop");
    public static final Param WEIGHT_DECAY = new Param("weight-decay", "weight_decay", Kind.REAL, List.of(), 0, NO_MAX,
            false, 0.0, c -> !"adam".equals(c.get("optimizer")), false, "weight decay (adamw, sgd, rmsprop)");
    public static final Param MOMENTUM = new Param("momentum", "momentum", Kind.REAL, List.of(), 0, 0.999, false, 0.9,
            c -> "sgd".equals(c.get("optimizer")), false, "momentum (sgd)");
    public static final Param LR_SCHEDULE = new Param("lr-schedule", "lr_schedule", Kind.CATEGORICAL,
            List.of("constant", "cosine", "step"), 0, 0, false, "constant", ALWAYS, false,
            "learning-rate schedule over the iteration budget");
    public static final Param WARMUP = new Param("warmup", "warmup_iterations", Kind.INT, List.of(), 0,
            Integer.MAX_VALUE, false, 0, ALWAYS, false, "linear learning-rate warm-up iterations");
    public static final Param STEP_GAMMA = new Param("step-gamma", "step_gamma", Kind.REAL, List.of(), 0, 1, true, 0.1,
            c -> "step".equals(c.get("lr-schedule")), false, "factor of each step (step schedule)");
    public static final Param STEP_EVERY = new Param("step-every", "step_every", Kind.INT, List.of(), 1,
            Integer.MAX_VALUE, false, 1000, c -> "step".equals(c.get("lr-schedule")), false,
            "iterations between steps (step schedule)");
    public static final Param CLIP_NORM = new Param("clip-norm", "clip_norm", Kind.REAL, List.of(), 0, NO_MAX, false,
            0.0, ALWAYS, false, "gradient clipping by L2 norm per layer; 0 = none");
    public static final Param BIAS_INIT = new Param("bias-init", "bias_init", Kind.CATEGORICAL,
            List.of("dl4j", "pytorch"), 0, 0, false, "dl4j", ALWAYS, false,
            "bias initialisation: dl4j (zero, LSTM forget gate 1) or pytorch (drawn uniformly as PyTorch does)");
    public static final Param AUGMENT_SHIFT = new Param("augment-shift", "augment_shift", Kind.INT, List.of(), 0,
            Augmentation.MAX_SHIFT, false, 0, ALWAYS, false,
            "training images shifted by up to this many pixels each way, drawn per image and iteration; 0 = none");

    /** All, in the order of trial ids and leaderboard columns. */
    public static final List<Param> ALL = List.of(FAMILY, LAYERS, HIDDEN, ACTIVATION, EXTRA_FC, BIDIRECTIONAL,
            LEARNING_RATE, BATCH_SIZE, ITERATIONS, SEED, DROPOUT, OPTIMIZER, WEIGHT_DECAY, MOMENTUM, LR_SCHEDULE,
            WARMUP, STEP_GAMMA, STEP_EVERY, CLIP_NORM, BIAS_INIT, AUGMENT_SHIFT);

    /** Parameters whose value a sampler never draws: every sampled configuration runs on each seed. */
    public static final Set<Param> NOT_SAMPLED = Set.of(SEED);

    private static final Map<String, Param> BY_KEY = new LinkedHashMap<>();

    static {
        for (Param p : ALL) {
            BY_KEY.put(p.key(), p);
        }
    }

    private Params() {
    }

    public static Optional<Param> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The sweep-file keys, for messages. */
    public static List<String> keys() {
        return List.copyOf(BY_KEY.keySet());
    }

    /** A configuration as text, {@code key=value;...} in declaration order; {@link #decode} reads it back. */
    public static String encode(Map<String, Object> configuration) {
        StringBuilder s = new StringBuilder();
        for (Param p : ALL) {
            Object v = configuration.get(p.key());
            if (v != null) {
                s.append(s.isEmpty() ? "" : ";").append(p.key()).append('=').append(Param.format(v));
            }
        }
        return s.toString();
    }

    /**
     * The configuration {@link #encode} wrote (into a results table), each value validated by its parameter, completed
     * as recorded ({@link #completeRecorded}).
     */
    public static Map<String, Object> decode(String text) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                Param p = byKey(pair.substring(0, eq)).orElseThrow(() -> new IllegalArgumentException(
                        "unknown parameter in '" + pair + "'"));
                c.put(p.key(), p.validate(pair.substring(eq + 1)));
            }
        }
        return completeRecorded(c);
    }

    /**
     * Completes a configuration in declaration order: values given are kept, those missing take their default, and a
     * parameter that does not apply (activation of an lstm) is {@code null}.
     */
    public static Map<String, Object> complete(Map<String, Object> given) {
        return complete(given, false);
    }

    /**
     * Completes the configuration a leaderboard row records: a parameter the row predates (its column was added
     * later) takes the value every trial had then ({@link Param#predated}), which is not the default if that changed.
     */
    public static Map<String, Object> completeRecorded(Map<String, Object> given) {
        return complete(given, true);
    }

    private static Map<String, Object> complete(Map<String, Object> given, boolean recorded) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (Param p : ALL) {
            c.put(p.key(), given.containsKey(p.key()) ? given.get(p.key())
                    : recorded ? p.predated() : p.defaultValue());
        }
        for (Param p : ALL) {
            if (!p.appliesTo(c)) {
                c.put(p.key(), null);
            }
        }
        return c;
    }
}
