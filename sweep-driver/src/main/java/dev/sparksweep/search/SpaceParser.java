package dev.sparksweep.search;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sparksweep.search.params.Domain;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.search.params.Space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code sweep.space} by the declarations: each key is a declared parameter and takes one value, a list, or a
 * distribution ({@code { uniform = [a, b] }}, {@code { log-uniform = [a, b] }}, {@code { int = [a, b], log = true }},
 * {@code { choice = [...] }}); any but {@code family} may also be given per family ({@code layers { rnn = [1, 2],
 * lstm = [1] }}). Every value is validated by its
 * parameter; messages name the file, line, key and value.
 */
final class SpaceParser {

    private static final String PATH = "sweep.space";
    private static final Set<String> DISTRIBUTIONS = Set.of("uniform", "log-uniform", "int", "log", "choice");

    private SpaceParser() {
    }

    static Space parse(ConfigObject space) {
        checkKeys(space);
        Map<Param, Domain> domains = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            ConfigValue value = space.get(p.key());
            if (value != null) {
                domains.put(p, domain(p, PATH + "." + p.key(), value, p != Params.FAMILY));
            }
        }
        Space parsed = new Space(domains);
        requireEveryFamily(parsed);
        return parsed;
    }

    /**
     * A parameter given per family ({@code layers { rnn = [1, 2], lstm = [1] }}) must cover every family the space can
     * produce, except those it does not apply to ({@code activation} is for rnns only).
     */
    private static void requireEveryFamily(Space space) {
        Domain families = space.domain(Params.FAMILY);
        List<Object> all = families instanceof Domain.Values v ? v.values()
                : families instanceof Domain.Choice c ? c.values() : List.of();
        for (Param p : Params.ALL) {
            if (space.domain(p) instanceof Domain.Keyed keyed) {
                for (Object family : all) {
                    boolean applies = p.appliesTo(Params.complete(Map.of(Params.FAMILY.key(), family)));
                    if (applies && !keyed.byValue().containsKey(String.valueOf(family))) {
                        throw new SweepConfigException("sweep.space." + p.key() + " has no entry for family '"
                                + family + "' (families: " + all + ")");
                    }
                }
            }
        }
    }

    /** Every key of a {@code sweep.space} must name a declared parameter. */
    static void checkKeys(ConfigObject space) {
        for (String key : space.keySet()) {
            if (Params.byKey(key).isEmpty()) {
                String hint = Params.keys().stream().filter(k -> similar(k, key)).findFirst()
                        .map(k -> " (did you mean " + k + "?)").orElse("");
                throw new SweepConfigException(origin(space.get(key)) + "unknown key '" + PATH + "." + key + "'"
                        + hint + "; the space's keys are " + Params.keys());
            }
        }
    }

    private static Domain domain(Param p, String path, ConfigValue value, boolean perFamily) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            return new Domain.Values(values(p, path, value));
        }
        ConfigObject object = (ConfigObject) value;
        if (!object.isEmpty() && DISTRIBUTIONS.containsAll(object.keySet())) {
            return distribution(p, path, object);
        }
        if (perFamily) {
            Map<String, Domain> byFamily = new LinkedHashMap<>();
            for (String family : object.keySet()) {
                Object checked = check(Params.FAMILY, path + "." + family, object.get(family), family);
                byFamily.put((String) checked, domain(p, path + "." + family, object.get(family), false));
            }
            return new Domain.Keyed(Params.FAMILY.key(), byFamily);
        }
        throw new SweepConfigException(origin(value) + path + " = " + value.render() + ": give a value, a list, or"
                + " one of { uniform = [low, high] }, { log-uniform = [low, high] }, { int = [low, high], log = true },"
                + " { choice = [...] }");
    }

    private static Domain distribution(Param p, String path, ConfigObject d) {
        try {
            if (d.containsKey("choice")) {
                requireOnly(d, path, "choice");
                return new Domain.Choice(values(p, path + ".choice", d.get("choice")));
            }
            if (d.containsKey("uniform") || d.containsKey("log-uniform")) {
                String kind = d.containsKey("uniform") ? "uniform" : "log-uniform";
                requireOnly(d, path, kind);
                if (p.kind() != Param.Kind.REAL) {
                    throw invalid(path, d, kind + " is for real-valued parameters; " + p.key() + " takes "
                            + (p.kind().numeric() ? "{ int = [low, high] }" : "a list or { choice = [...] }"));
                }
                double[] bounds = bounds(p, path + "." + kind, d.get(kind));
                return kind.equals("uniform") ? new Domain.Uniform(bounds[0], bounds[1])
                        : new Domain.LogUniform(bounds[0], bounds[1]);
            }
            if (d.containsKey("int")) {
                if (p.kind() != Param.Kind.INT && p.kind() != Param.Kind.LONG) {
                    throw invalid(path, d, "int is for whole-number parameters; " + p.key() + " takes "
                            + (p.kind() == Param.Kind.REAL ? "{ uniform = ... } or { log-uniform = ... }"
                            : "a list or { choice = [...] }"));
                }
                double[] bounds = bounds(p, path + ".int", d.get("int"));
                boolean log = d.containsKey("log") && logFlag(path, d);
                return new Domain.IntRange((long) bounds[0], (long) bounds[1], log);
            }
            throw invalid(path, d, "'log' goes with { int = [low, high] }");
        } catch (IllegalArgumentException e) {
            throw invalid(path, d, e.getMessage());
        }
    }

    private static double[] bounds(Param p, String path, ConfigValue value) {
        if (value.valueType() != ConfigValueType.LIST || ((ConfigList) value).size() != 2) {
            throw new SweepConfigException(origin(value) + path + " = " + value.render()
                    + ": give the bounds as [low, high]");
        }
        ConfigList list = (ConfigList) value;
        Object low = check(p, path, list.get(0), list.get(0).unwrapped());
        Object high = check(p, path, list.get(1), list.get(1).unwrapped());
        return new double[]{((Number) low).doubleValue(), ((Number) high).doubleValue()};
    }

    private static void requireOnly(ConfigObject d, String path, String kind) {
        if (d.size() != 1) {
            throw invalid(path, d, "one distribution per key: " + kind + " alone");
        }
    }

    /** One value or a list; duplicates collapse, order is kept. */
    private static List<Object> values(Param p, String path, ConfigValue value) {
        List<ConfigValue> raw = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            raw.addAll((ConfigList) value);
        } else {
            raw.add(value);
        }
        if (raw.isEmpty()) {
            throw new SweepConfigException(origin(value) + path + " is an empty list: give at least one value");
        }
        Set<Object> out = new LinkedHashSet<>();
        for (ConfigValue v : raw) {
            if (v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.OBJECT) {
                throw new SweepConfigException(origin(v) + path + " = " + v.render() + ": expected a single value");
            }
            out.add(check(p, path, v, v.unwrapped()));
        }
        return List.copyOf(out);
    }

    private static Object check(Param p, String path, ConfigValue v, Object raw) {
        try {
            return p.validate(raw);
        } catch (IllegalArgumentException e) {
            throw new SweepConfigException(origin(v) + path + " = " + v.render() + ": " + e.getMessage());
        }
    }

    /** The {@code log} flag of an int range: true or false, nothing else (a typo must not mean false). */
    private static boolean logFlag(String path, ConfigObject d) {
        try {
            return ConfigValues.bool(d.get("log"));
        } catch (IllegalArgumentException e) {
            throw invalid(path + ".log", d.get("log"), "log must be true or false");
        }
    }

    private static SweepConfigException invalid(String path, ConfigValue v, String why) {
        return new SweepConfigException(origin(v) + path + " = " + v.render() + ": " + why);
    }

    private static String origin(ConfigValue v) {
        return v.origin() == null ? "" : v.origin().description() + ": ";
    }

    /** A typo of a known key: at most two edits apart (Levenshtein), ignoring '-' and '_'. */
    private static boolean similar(String known, String typed) {
        String a = known.replace("-", "");
        String b = typed.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()] <= 2;
    }
}
