package dev.sparksweep.leaderboard;

import org.apache.commons.math3.stat.inference.TTest;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Configurations ranked by mean validation accuracy over their seeds (mean test accuracy where a sweep has no
 * validation split), each compared with the best (the highest-ranked configuration with two seeds or more) by Welch's
 * unequal-variance t-test (two-sided, 5 %): a configuration whose difference from the best is not significant could be
 * the best too.
 */
public final class ConfigRanking {

    /** Significance level of the comparison with the best. */
    public static final double ALPHA = 0.05;

    /** How one configuration compares with the best. */
    public enum Verdict {
        BEST, NOT_SIGNIFICANT, WORSE, TOO_FEW_SEEDS;

        /** The table's marker. */
        public String marker() {
            return switch (this) {
                case BEST -> "best";
                case NOT_SIGNIFICANT -> "~ best";
                case WORSE -> "worse";
                case TOO_FEW_SEEDS -> "n<2";
            };
        }
    }

    /**
     * One configuration of the {@code configs} view with its verdict.
     *
     * @param pValue Welch's two-sided p-value against the best; NaN for the best itself, or when it has n < 2
     */
    public record Ranked(Row config, double mean, Verdict verdict, double pValue) {
    }

    private ConfigRanking() {
    }

    /** Ranks the rows of the {@code configs} view that have at least one ok trial. */
    public static List<Ranked> rank(List<Row> configs) {
        return rank(configs, false);
    }

    /**
     * Ranks the best configurations of a view (or all of them). The best, which the others are compared with, is the
     * highest-ranked configuration with at least two seeds: one run can neither be compared nor serve as the
     * reference, so a configuration with one seed ranked above it is marked as having too few seeds. When no
     * configuration has two, the top one is the best (nothing can be compared).
     *
     * @param replicatedBelow whether a configuration ranked below {@code configs} (not among them) has two seeds or
     *                        more: when none of {@code configs} has, the best is that one, and none of these is
     */
    public static List<Ranked> rank(List<Row> configs, boolean replicatedBelow) {
        boolean validation = configs.stream().anyMatch(r -> r.getAs("val_mean") != null);
        String metric = validation ? "val" : "test";
        List<Row> scored = new ArrayList<>(configs.stream().filter(r -> r.getAs(metric + "_mean") != null).toList());
        scored.sort(Comparator.comparingDouble((Row r) -> r.<Double>getAs(metric + "_mean")).reversed()
                .thenComparing(r -> r.<String>getAs("config_id")));
        int reference = -1;
        for (int i = 0; i < scored.size() && reference < 0; i++) {
            reference = values(scored.get(i), metric).length >= 2 ? i : -1;
        }
        if (reference < 0 && !replicatedBelow && !scored.isEmpty()) {
            reference = 0;
        }
        double[] best = reference < 0 ? new double[0] : values(scored.get(reference), metric);
        List<Ranked> out = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            Row r = scored.get(i);
            double mean = r.getAs(metric + "_mean");
            double[] these = values(r, metric);
            if (i == reference) {
                out.add(new Ranked(r, mean, Verdict.BEST, Double.NaN));
            } else if (these.length < 2 || best.length < 2) {
                out.add(new Ranked(r, mean, Verdict.TOO_FEW_SEEDS, Double.NaN));
            } else {
                double p = welch(best, these);
                out.add(new Ranked(r, mean, p < ALPHA ? Verdict.WORSE : Verdict.NOT_SIGNIFICANT, p));
            }
        }
        return out;
    }

    /** Welch's two-sided p-value; 1 when both samples are constant and equal, 0 when constant and different. */
    static double welch(double[] a, double[] b) {
        // Constant by equality, not by a computed variance: three equal accuracies can average a bit off their value.
        if (constant(a) && constant(b)) {
            return a[0] == b[0] ? 1 : 0;
        }
        double p = new TTest().tTest(a, b);
        return Double.isNaN(p) ? (mean(a) == mean(b) ? 1 : 0) : p;
    }

    private static boolean constant(double[] x) {
        return java.util.Arrays.stream(x).allMatch(v -> v == x[0]);
    }

    private static double[] values(Row r, String metric) {
        List<Double> list = r.getList(r.fieldIndex(metric + "_values"));
        return list.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(double[] x) {
        return java.util.Arrays.stream(x).average().orElse(Double.NaN);
    }

}
