package dev.sparksweep.search;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reading of a sweep's configuration: every value checked for its type and range, and every refusal a
 * {@link SweepConfigException} naming the file and line (where HOCON knows them), the key and the value.
 */
final class ConfigValues {

    private final Config config;

    ConfigValues(Config config) {
        this.config = config;
    }

    <T> List<T> list(String path, Function<ConfigValue, T> parser) {
        return values(path, config.getValue(path), parser);
    }

    /** A parameter may be one value or a list of values; duplicates collapse, order is kept. */
    static <T> List<T> values(String path, ConfigValue value, Function<ConfigValue, T> parser) {
        return values(path, value, parser, false);
    }

    static <T> List<T> values(String path, ConfigValue value, Function<ConfigValue, T> parser,
                                      boolean emptyAllowed) {
        List<ConfigValue> raw = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            raw.addAll((ConfigList) value);
        } else {
            raw.add(value);
        }
        if (raw.isEmpty() && !emptyAllowed) {
            throw new SweepConfigException(origin(value) + path + " is an empty list: give at least one value");
        }
        Set<T> out = new LinkedHashSet<>();
        for (ConfigValue v : raw) {
            try {
                out.add(parser.apply(v));
            } catch (SweepConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw invalidValue(path, v, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    boolean flag(String path) {
        ConfigValue v = config.getValue(path);
        try {
            return bool(v);
        } catch (IllegalArgumentException e) {
            throw invalidValue(path, v, e.getMessage());
        }
    }

    int atLeast(String path, int minimum) {
        ConfigValue v = config.getValue(path);
        int value;
        try {
            value = integer(v);
        } catch (IllegalArgumentException e) {
            throw invalidValue(path, v, e.getMessage());
        }
        if (value < minimum) {
            throw invalidValue(path, v, "must be at least " + minimum);
        }
        return value;
    }

    static String string(ConfigValue v) {
        if (v.valueType() != ConfigValueType.STRING) {
            throw new IllegalArgumentException("expected a name, got " + v.valueType().name().toLowerCase());
        }
        return (String) v.unwrapped();
    }

    static double number(ConfigValue v) {
        Object raw = v.unwrapped();
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number");
            }
        }
        throw new IllegalArgumentException("expected a number, got " + v.valueType().name().toLowerCase());
    }

    static int integer(ConfigValue v) {
        double d = number(v);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected a whole number");
        }
        return (int) d;
    }

    static boolean bool(ConfigValue v) {
        Object raw = v.unwrapped();
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    static <T> T parse(String path, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(path, value, e.getMessage());
        }
    }

    static SweepConfigException invalidValue(String path, ConfigValue v, String why) {
        return new SweepConfigException(origin(v) + path + " = " + v.render() + ": " + why);
    }

    static SweepConfigException invalid(String path, Object value, String why) {
        return new SweepConfigException(path + " = " + value + ": " + why);
    }

    static String origin(ConfigValue v) {
        return v.origin() == null ? "" : v.origin().description() + ": ";
    }
}
