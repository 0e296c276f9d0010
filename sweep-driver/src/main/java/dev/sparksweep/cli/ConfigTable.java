package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.ConfigRanking;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The ranked configurations as a text table: intervals as {@code 98.31 +- 0.12 (n=3)}, and the verdict. */
final class ConfigTable {

    /** Shown in the model's name already. */
    private static final Set<Param> IN_MODEL_NAME = Set.of(Params.FAMILY, Params.LAYERS, Params.HIDDEN,
            Params.ACTIVATION, Params.EXTRA_FC, Params.BIDIRECTIONAL, Params.DROPOUT, Params.SEED);

    private ConfigTable() {
    }

    static String format(List<ConfigRanking.Ranked> ranked, int top) {
        List<Param> varied = new ArrayList<>();
        for (Param p : Params.ALL) {
            if (p == Params.SEED) {
                continue; // the configs view groups the seeds
            }
            Set<Object> values = new HashSet<>();
            ranked.forEach(r -> values.add(r.config().getAs(p.column())));
            if (!IN_MODEL_NAME.contains(p) && values.size() > 1) {
                varied.add(p);
            }
        }
        List<String> header = new ArrayList<>(List.of("rank", "vs best", "config_id", "model"));
        varied.forEach(p -> header.add(p.column()));
        header.addAll(List.of("val % (95% CI)", "test % (95% CI)", "p (Welch)", "train s"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            ConfigRanking.Ranked r = ranked.get(i);
            Row c = r.config();
            List<String> line = new ArrayList<>(List.of(Integer.toString(i + 1), r.verdict().marker(),
                    c.getAs("config_id"), c.getAs("model")));
            varied.forEach(p -> line.add(Param.format(c.getAs(p.column()))));
            line.add(interval(c, "val"));
            line.add(interval(c, "test"));
            line.add(Double.isNaN(r.pValue()) ? "" : String.format("%.3f", r.pValue()));
            Double seconds = c.getAs("train_seconds_mean");
            line.add(seconds == null ? "" : String.format("%.1f", seconds));
            rows.add(line);
        }
        String legend = "configurations ranked by mean " + (ranked.stream().anyMatch(r -> r.config()
                .getAs("val_mean") != null) ? "validation" : "test") + " accuracy over seeds; '~ best': not"
                + " significantly different from the best (Welch's t-test, 5 %), 'worse': significantly worse,"
                + " 'n<2': too few seeds to tell\n";
        return legend + Tables.format(header, rows);
    }

    /** {@code 98.31 +- 0.12 (n=3)}, or the one value with n = 1. */
    static String interval(Row c, String metric) {
        Double mean = c.getAs(metric + "_mean");
        if (mean == null) {
            return "";
        }
        long n = c.<Long>getAs("n");
        Double half = c.getAs(metric + "_ci95");
        return String.format("%.2f", 100 * mean) + (Objects.isNull(half) ? "" : String.format(" +- %.2f", 100 * half))
                + " (n=" + n + ")";
    }
}
