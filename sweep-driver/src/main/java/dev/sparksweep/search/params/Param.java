package dev.sparksweep.search.params;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One hyperparameter, declared once: the sweep-file key, the leaderboard column and its Spark type, the kind and
 * domain of its values with their validation, the default, when it applies, and whether it decides what a model is
 * or how it trains. Config parsing, grid expansion, sampling, trial ids, the leaderboard schema and its rows all derive
 * from these declarations ({@link Params#ALL}).
 *
 * @param key          the key under {@code sweep.space} ({@code learning-rate})
 * @param column       the leaderboard column ({@code learning_rate})
 * @param kind         what its values are
 * @param choices      the valid ids of a categorical parameter; empty otherwise
 * @param min          the smallest valid value of a numeric parameter
 * @param max          the largest valid value of a numeric parameter
 * @param minExclusive whether {@code min} itself is invalid ({@code learning-rate > 0})
 * @param defaultValue what a trial has when the sweep does not set it
 * @param appliesWhen  whether the parameter means anything for a configuration (activation only for rnn); where it
 *                     does not, the configuration holds {@code null} for it
 * @param alwaysInId   part of every trial id (the original parameters) rather than only when it differs from its
 *                     default (parameters added later, so that existing ids stay)
 * @param description  one line for messages and docs
 * @param predated     what every trial had before the parameter was declared: the value that leaves a trial id as it
 *                     was issued then, and the one a leaderboard row written before its column existed trained with.
 *                     It is the default unless the default has changed since: a changed default then neither renames
 *                     any trial nor misreads an old row, and a trial at the new default gets a new id.
 */
public record Param(String key, String column, Kind kind, List<String> choices, double min, double max,
                    boolean minExclusive, Object defaultValue, Predicate<Map<String, Object>> appliesWhen,
                    boolean alwaysInId, String description, Object predated) {

    /** A parameter whose default is what trials had before it was declared. */
    public Param(String key, String column, Kind kind, List<String> choices, double min, double max,
                 boolean minExclusive, Object defaultValue, Predicate<Map<String, Object>> appliesWhen,
                 boolean alwaysInId, String description) {
        this(key, column, kind, choices, min, max, minExclusive, defaultValue, appliesWhen, alwaysInId, description,
                defaultValue);
    }

    /** The kinds of value a parameter takes, each with its Java and Spark type. */
    public enum Kind {
        CATEGORICAL(DataTypes.StringType), INT(DataTypes.IntegerType), LONG(DataTypes.LongType),
        REAL(DataTypes.DoubleType), BOOL(DataTypes.BooleanType);

        private final DataType sparkType;

        Kind(DataType sparkType) {
            this.sparkType = sparkType;
        }

        public DataType sparkType() {
            return sparkType;
        }

        /** Whether values can be ordered and sampled from a range. */
        public boolean numeric() {
            return this == INT || this == LONG || this == REAL;
        }
    }

    public Param {
        Objects.requireNonNull(key);
        Objects.requireNonNull(column);
        choices = List.copyOf(choices);
        if (defaultValue != null) {
            defaultValue = validate(defaultValue, key, kind, choices, min, max, minExclusive);
        }
        if (predated != null) {
            predated = validate(predated, key, kind, choices, min, max, minExclusive);
        }
    }

    /** A copy whose default is {@code value}, trials before the change having had this one's ({@link #predated}). */
    public Param withDefault(Object value) {
        return new Param(key, column, kind, choices, min, max, minExclusive, value, appliesWhen, alwaysInId,
                description, predated);
    }

    public boolean appliesTo(Map<String, Object> configuration) {
        return appliesWhen.test(configuration);
    }

    /**
     * Checks and normalises one value (a number of the right kind within bounds, a known choice); throws
     * {@link IllegalArgumentException} with the reason otherwise.
     */
    public Object validate(Object value) {
        return validate(value, key, kind, choices, min, max, minExclusive);
    }

    private static Object validate(Object value, String key, Kind kind, List<String> choices, double min, double max,
                                   boolean minExclusive) {
        Object v = switch (kind) {
            case CATEGORICAL -> {
                String s = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
                if (!choices.contains(s)) {
                    throw new IllegalArgumentException("'" + value + "' is not one of " + choices);
                }
                yield s;
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                String s = String.valueOf(value).strip();
                if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("expected true or false, got " + value);
                }
                yield Boolean.parseBoolean(s);
            }
            case INT, LONG -> {
                double d = number(value);
                if (d != Math.rint(d) || Math.abs(d) > (kind == Kind.INT ? Integer.MAX_VALUE : 9.007e15)) {
                    throw new IllegalArgumentException("expected a whole number, got " + value);
                }
                yield kind == Kind.INT ? (Object) (int) d : (Object) (long) d;
            }
            case REAL -> number(value);
        };
        if (kind.numeric()) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || d < min || d > max || (minExclusive && d == min)) {
                throw new IllegalArgumentException("must be " + range(min, max, minExclusive) + ", got " + value);
            }
        }
        return v;
    }

    /** The valid range of a numeric parameter, as a person writes it. */
    public String range() {
        return range(min, max, minExclusive);
    }

    private static String range(double min, double max, boolean minExclusive) {
        String low = (minExclusive ? "> " : ">= ") + format(min);
        return Double.isInfinite(max) ? low : low + " and <= " + format(max);
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got " + value);
        }
    }

    /** The value as trial ids and names spell it: 1e-3 and 0.001 are the same number. */
    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}
