package dev.sparksweep.search.params;

import java.util.List;
import java.util.Map;

/**
 * The values a sweep gives one hyperparameter: a list (the grid's values, which samplers draw from uniformly) or a
 * distribution, which only samplers can use. Samplers map a point {@code u} of [0, 1) to a value with {@link #at}, so
 * random, Sobol and TPE all share one parametrisation: uniform in the value, in its logarithm, or over the choices.
 */
public sealed interface Domain {

    /** Whether a grid can enumerate it (a list) rather than only a sampler draw from it. */
    boolean enumerable();

    /** The value at {@code u} in [0, 1). */
    Object at(double u);

    /** A list of values: the grid takes each; a sampler draws one uniformly. */
    record Values(List<Object> values) implements Domain {
        public Values {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("an empty list: give at least one value");
            }
        }

        @Override
        public boolean enumerable() {
            return true;
        }

        @Override
        public Object at(double u) {
            return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
        }
    }

    /** {@code { choice = [...] }}: like a list, but for samplers only. */
    record Choice(List<Object> values) implements Domain {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("choice needs at least one value");
            }
        }

        @Override
        public boolean enumerable() {
            return false;
        }

        @Override
        public Object at(double u) {
            return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
        }
    }

    /** {@code { uniform = [low, high] }} over real values. */
    record Uniform(double low, double high) implements Domain {
        public Uniform {
            if (!(low < high) || Double.isInfinite(low) || Double.isInfinite(high)) {
                throw new IllegalArgumentException("uniform needs finite bounds with low < high, got [" + low + ", "
                        + high + "]");
            }
        }

        @Override
        public boolean enumerable() {
            return false;
        }

        @Override
        public Object at(double u) {
            return round(low + u * (high - low));
        }
    }

    /** {@code { log-uniform = [low, high] }}: uniform in the logarithm, for scales like learning rates. */
    record LogUniform(double low, double high) implements Domain {
        public LogUniform {
            if (!(low > 0)) {
                throw new IllegalArgumentException("log-uniform needs positive bounds (the logarithm of " + low
                        + " is undefined)");
            }
            if (!(low < high) || Double.isInfinite(high)) {
                throw new IllegalArgumentException("log-uniform needs finite bounds with low < high, got [" + low
                        + ", " + high + "]");
            }
        }

        @Override
        public boolean enumerable() {
            return false;
        }

        @Override
        public Object at(double u) {
            return round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))));
        }
    }

    /** {@code { int = [low, high], log = true|false }}: whole numbers, both bounds included. */
    record IntRange(long low, long high, boolean log) implements Domain {
        public IntRange {
            if (low > high) {
                throw new IllegalArgumentException("int needs low <= high, got [" + low + ", " + high + "]");
            }
            if (log && low < 1) {
                throw new IllegalArgumentException("int with log = true needs a positive lower bound (the logarithm"
                        + " of " + low + " is undefined)");
            }
        }

        @Override
        public boolean enumerable() {
            return false;
        }

        @Override
        public Object at(double u) {
            // Spread over [low, high + 1) so each whole number gets an equal share (in its log for log ranges).
            double x = log ? Math.exp(Math.log(low) + u * (Math.log(high + 1.0) - Math.log(low)))
                    : low + u * (high + 1.0 - low);
            return Math.max(low, Math.min(high, (long) Math.floor(x)));
        }
    }

    /**
     * A domain that depends on another parameter's value, such as {@code layers { rnn = [1, 2, 3, 4], lstm = [1, 2] }}.
     *
     * @param on      the key of the parameter it depends on (declared before this one)
     * @param byValue the domain for each of its values
     */
    record Keyed(String on, Map<String, Domain> byValue) implements Domain {
        public Keyed {
            byValue = Map.copyOf(byValue);
        }

        public Domain resolve(Map<String, Object> configuration) {
            Domain d = byValue.get(String.valueOf(configuration.get(on)));
            if (d == null) {
                throw new IllegalArgumentException("no values for " + on + " = " + configuration.get(on));
            }
            return d;
        }

        @Override
        public boolean enumerable() {
            return byValue.values().stream().allMatch(Domain::enumerable);
        }

        @Override
        public Object at(double u) {
            throw new IllegalStateException("resolve a keyed domain first");
        }
    }

    /** Sampled reals keep six significant digits: readable in tables and ids, far finer than any effect. */
    private static double round(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).doubleValue();
    }
}
