package dev.sparksweep.search.sampling;

import dev.sparksweep.search.params.Domain;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Space;
import org.apache.commons.math3.special.Erf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as in Hyperopt and Optuna's default: the
 * finished trials are split into the best fraction and the rest, each parameter gets a Parzen density for each group
 * (truncated Gaussians around observed values in the domain's own scale, or smoothed counts over choices, each with a
 * flat prior), and the proposal takes, per parameter, the candidate drawn from the good density with the highest ratio
 * good / rest. Parameters are chosen in declaration order, so a conditional one (activation of an rnn) is fitted only on
 * the trials where it applied. Trials that failed or diverged score worst; running ones count as the rest (a
 * "constant liar"), which keeps parallel proposals apart. The first {@code startup} proposals are uniform.
 */
public final class Tpe {

    /** A finished or running trial: its configuration and score (higher is better; NaN for the worst). */
    public record Observation(Map<String, Object> configuration, double score) {
    }

    private final Space space;
    private final long seed;
    private final int startup;
    private final int candidates;

    public Tpe(Space space, long seed, int startup, int candidates) {
        this.space = space;
        this.seed = seed;
        this.startup = Math.max(1, startup);
        this.candidates = Math.max(1, candidates);
    }

    /**
     * The next configuration given what is known.
     *
     * @param finished trials with their scores
     * @param running  configurations still training
     * @param seedValue the trial seed the configuration is proposed for
     */
    public Map<String, Object> propose(List<Observation> finished, List<Map<String, Object>> running, long seedValue) {
        return propose(finished, running, seedValue, 0);
    }

    /**
     * The next configuration given what is known; {@code attempt} counts the proposals just made that repeated a
     * configuration proposed before. TPE's choice is nearly deterministic over categories (the best ratio among its
     * candidates), so a repeat is replaced by a uniform draw, a new one each attempt: the search goes on exploring
     * instead of proposing its favourite again. The draws are a function of what is known and the attempt, so a rerun
     * proposes the same.
     */
    public Map<String, Object> propose(List<Observation> finished, List<Map<String, Object>> running, long seedValue,
                                       int attempt) {
        int n = finished.size() + running.size();
        List<Param> sampled = space.sampled();
        Random random = new Random(seed * 31 + n);
        if (finished.size() < startup || attempt > 0) {
            // Redraws take points far beyond any index the search itself reaches.
            int index = attempt == 0 ? n : Math.floorMod(n + 1_000_003L * attempt, Integer.MAX_VALUE);
            return space.at(new UnitPoints.Uniform(seed, sampled.size()).point(index), seedValue);
        }
        List<Observation> sorted = new ArrayList<>(finished);
        sorted.sort(Comparator.comparingDouble((Observation o) -> Double.isNaN(o.score()) ? Double.NEGATIVE_INFINITY
                : o.score()).reversed());
        int good = Math.min((int) Math.ceil(0.1 * sorted.size()), 25);
        List<Map<String, Object>> goodSet = new ArrayList<>();
        List<Map<String, Object>> restSet = new ArrayList<>(running);
        for (int i = 0; i < sorted.size(); i++) {
            (i < good && !Double.isNaN(sorted.get(i).score()) ? goodSet : restSet).add(sorted.get(i).configuration());
        }
        double[] u = new double[sampled.size()];
        java.util.Arrays.fill(u, 0.5);
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (Param p : dev.sparksweep.search.params.Params.ALL) { // declaration order: conditions look back
            int k = sampled.indexOf(p);
            if (k < 0) {
                chosen.put(p.key(), seedValue);
                continue;
            }
            chosen.put(p.key(), null);
            if (!p.appliesTo(chosen)) {
                continue;
            }
            Domain d = space.resolve(p, chosen);
            List<Double> l = positions(p, space.domain(p), d, goodSet, chosen);
            List<Double> g = positions(p, space.domain(p), d, restSet, chosen);
            u[k] = choices(d) > 0 ? bestChoice(choices(d), l, g, random) : bestContinuous(l, g, random);
            chosen.put(p.key(), p.validate(d.at(u[k])));
        }
        return space.at(u, seedValue);
    }

    /**
     * The observed values of {@code p} in the unit scale of its domain {@code d}, from trials that agree on what came
     * before: where the declared domain depends on another parameter ({@code hidden} by family), only the trials with
     * the value chosen for that one (an rnn's 128 says nothing of an lstm's).
     */
    static List<Double> positions(Param p, Domain declared, Domain d, List<Map<String, Object>> trials,
                                  Map<String, Object> chosen) {
        List<Double> out = new ArrayList<>();
        for (Map<String, Object> t : trials) {
            Object v = t.get(p.key());
            if (v == null || (declared instanceof Domain.Keyed keyed
                    && !String.valueOf(t.get(keyed.on())).equals(String.valueOf(chosen.get(keyed.on()))))) {
                continue;
            }
            double x = unit(d, v);
            if (!Double.isNaN(x)) {
                out.add(x);
            }
        }
        return out;
    }

    /** Number of choices of a categorical domain, 0 for a continuous one. */
    private static int choices(Domain d) {
        if (d instanceof Domain.Values v) {
            return v.values().size();
        }
        if (d instanceof Domain.Choice c) {
            return c.values().size();
        }
        return 0;
    }

    /** Where {@code value} sits in [0, 1) under {@link Domain#at}: NaN when it is outside the domain. */
    static double unit(Domain d, Object value) {
        if (d instanceof Domain.Values v) {
            int i = indexOf(v.values(), value);
            return i < 0 ? Double.NaN : (i + 0.5) / v.values().size();
        }
        if (d instanceof Domain.Choice c) {
            int i = indexOf(c.values(), value);
            return i < 0 ? Double.NaN : (i + 0.5) / c.values().size();
        }
        double x = ((Number) value).doubleValue();
        double u;
        if (d instanceof Domain.Uniform r) {
            u = (x - r.low()) / (r.high() - r.low());
        } else if (d instanceof Domain.LogUniform r) {
            u = (Math.log(x) - Math.log(r.low())) / (Math.log(r.high()) - Math.log(r.low()));
        } else if (d instanceof Domain.IntRange r) {
            u = r.log() ? (Math.log(x + 0.5) - Math.log(r.low())) / (Math.log(r.high() + 1.0) - Math.log(r.low()))
                    : (x + 0.5 - r.low()) / (r.high() + 1.0 - r.low());
        } else {
            return Double.NaN;
        }
        return u >= 0 && u <= 1 ? Math.min(u, Math.nextDown(1.0)) : Double.NaN;
    }

    private static int indexOf(List<Object> values, Object value) {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v.equals(value) || (v instanceof Number a && value instanceof Number b
                    && a.doubleValue() == b.doubleValue())) {
                return i;
            }
        }
        return -1;
    }

    private double bestChoice(int k, List<Double> l, List<Double> g, Random random) {
        double[] pl = smoothedCounts(k, l);
        double[] pg = smoothedCounts(k, g);
        int best = 0;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            int i = draw(pl, random);
            double ratio = Math.log(pl[i]) - Math.log(pg[i]);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = i;
            }
        }
        return (best + 0.5) / k;
    }

    /** Choice probabilities: observed counts plus a prior weight of one spread evenly over the choices. */
    private static double[] smoothedCounts(int k, List<Double> observed) {
        double[] p = new double[k];
        java.util.Arrays.fill(p, 1.0 / k);
        for (double x : observed) {
            p[Math.min(k - 1, (int) (x * k))] += 1;
        }
        double total = 1 + observed.size();
        for (int i = 0; i < k; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static int draw(double[] p, Random random) {
        double r = random.nextDouble();
        for (int i = 0; i < p.length; i++) {
            r -= p[i];
            if (r < 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    private double bestContinuous(List<Double> l, List<Double> g, Random random) {
        Parzen good = new Parzen(l);
        Parzen rest = new Parzen(g);
        double best = 0.5;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            double x = good.sample(random);
            double ratio = good.logDensity(x) - rest.logDensity(x);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = x;
            }
        }
        return best;
    }

    /**
     * A mixture of Gaussians truncated to [0, 1], one per observation plus a wide prior at the centre, all weighted
     * equally. Each observation's width is the larger gap to its neighbours, kept between 1/min(100, n + 1) and 1.
     */
    private static final class Parzen {
        final double[] mu;
        final double[] sigma;

        Parzen(List<Double> observed) {
            int n = observed.size();
            mu = new double[n + 1];
            sigma = new double[n + 1];
            List<Double> sorted = new ArrayList<>(observed);
            sorted.sort(null);
            double minSigma = 1.0 / Math.min(100, n + 1);
            for (int i = 0; i < n; i++) {
                double left = sorted.get(i) - (i == 0 ? 0 : sorted.get(i - 1));
                double right = (i == n - 1 ? 1 : sorted.get(i + 1)) - sorted.get(i);
                mu[i] = sorted.get(i);
                sigma[i] = Math.max(minSigma, Math.min(1, Math.max(left, right)));
            }
            mu[n] = 0.5;
            sigma[n] = 1.0;
        }

        double sample(Random random) {
            int i = random.nextInt(mu.length);
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = mu[i] + sigma[i] * random.nextGaussian();
                if (x >= 0 && x < 1) {
                    return x;
                }
            }
            return random.nextDouble();
        }

        double logDensity(double x) {
            double total = 0;
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                double mass = 0.5 * (Erf.erf((1 - mu[i]) / (sigma[i] * Math.sqrt(2)))
                        - Erf.erf((0 - mu[i]) / (sigma[i] * Math.sqrt(2))));
                total += Math.exp(-0.5 * z * z) / (sigma[i] * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
            }
            return Math.log(total / mu.length);
        }
    }
}
