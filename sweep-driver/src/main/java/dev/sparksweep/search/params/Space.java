package dev.sparksweep.search.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sweep searches: a {@link Domain} for every declared parameter (the default's one value where the sweep
 * file sets none), in declaration order. A configuration is a map from parameter key to value; parameters that do not
 * apply to it (activation of an lstm) hold {@code null}.
 */
public record Space(Map<Param, Domain> domains) {

    public Space {
        Map<Param, Domain> ordered = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            ordered.put(p, domains.getOrDefault(p, new Domain.Values(List.of(p.defaultValue()))));
        }
        domains = java.util.Collections.unmodifiableMap(ordered);
    }

    public Domain domain(Param p) {
        return domains.get(p);
    }

    /** The parameters given a distribution (which only a sampler can search), by key. */
    public List<String> distributions() {
        return domains.entrySet().stream().filter(e -> !e.getValue().enumerable()).map(e -> e.getKey().key())
                .toList();
    }

    /** How many configurations the grid has, counted up to {@code cap} (then {@code cap + 1}). */
    public long gridSize(long cap) {
        return count(0, new LinkedHashMap<>(), cap);
    }

    private long count(int index, Map<String, Object> partial, long cap) {
        if (index == Params.ALL.size()) {
            return 1;
        }
        Param p = Params.ALL.get(index);
        long total = 0;
        if (!p.appliesTo(partial)) {
            partial.put(p.key(), null);
            total = count(index + 1, partial, cap);
        } else {
            for (Object value : values(resolve(p, partial))) {
                partial.put(p.key(), value);
                total += count(index + 1, partial, cap);
                if (total > cap) {
                    break;
                }
            }
        }
        partial.remove(p.key());
        return Math.min(total, cap + 1);
    }

    /**
     * Every configuration of the grid, in declaration order (family first, seed last), without duplicates.
     *
     * @throws TooLarge past {@code limit} configurations, before building them all
     */
    public List<Map<String, Object>> grid(long limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        expand(0, new LinkedHashMap<>(), out, limit);
        return out;
    }

    private void expand(int index, Map<String, Object> partial, List<Map<String, Object>> out, long limit) {
        if (index == Params.ALL.size()) {
            if (out.size() >= limit) {
                throw new TooLarge(limit);
            }
            out.add(new LinkedHashMap<>(partial));
            return;
        }
        Param p = Params.ALL.get(index);
        if (!p.appliesTo(partial)) {
            partial.put(p.key(), null);
            expand(index + 1, partial, out, limit);
        } else {
            for (Object value : values(resolve(p, partial))) {
                partial.put(p.key(), value);
                expand(index + 1, partial, out, limit);
            }
        }
        partial.remove(p.key());
    }

    /**
     * The configuration at a point of the unit cube: coordinate {@code i} of {@code u} picks the value of the
     * {@code i}-th sampled parameter ({@link #sampled()}), whether or not it applies, so every point maps the same way.
     *
     * @param seed the seed of the trial (seeds are not sampled: each sampled configuration runs on each seed)
     */
    public Map<String, Object> at(double[] u, long seed) {
        List<Param> sampled = sampled();
        if (u.length != sampled.size()) {
            throw new IllegalArgumentException("a point of " + u.length + " coordinates for " + sampled.size()
                    + " sampled parameters");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            if (Params.NOT_SAMPLED.contains(p)) {
                c.put(p.key(), p.validate(seed));
                continue;
            }
            double coordinate = u[sampled.indexOf(p)];
            c.put(p.key(), p.appliesTo(c) ? p.validate(resolve(p, c).at(coordinate)) : null);
        }
        return c;
    }

    /**
     * The parameters a sampler draws, one coordinate each: all but the seed, those the sweep varies first (a Sobol
     * sequence covers its first coordinates best), each group in declaration order.
     */
    public List<Param> sampled() {
        List<Param> varied = new ArrayList<>();
        List<Param> fixed = new ArrayList<>();
        for (Param p : Params.ALL) {
            if (!Params.NOT_SAMPLED.contains(p)) {
                (varies(domains.get(p)) ? varied : fixed).add(p);
            }
        }
        varied.addAll(fixed);
        return varied;
    }

    private static boolean varies(Domain d) {
        if (d instanceof Domain.Keyed keyed) {
            return keyed.byValue().values().stream().anyMatch(Space::varies);
        }
        return !(d instanceof Domain.Values v && v.values().size() == 1);
    }

    /** The domain of {@code p} for a configuration whose earlier parameters are set. */
    public Domain resolve(Param p, Map<String, Object> configuration) {
        Domain d = domains.get(p);
        return d instanceof Domain.Keyed keyed ? keyed.resolve(configuration) : d;
    }

    private static List<Object> values(Domain d) {
        if (d instanceof Domain.Values v) {
            return v.values();
        }
        throw new IllegalStateException("not a list: " + d);
    }

    /** A grid larger than allowed. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("more than " + limit + " configurations");
        }
    }
}
