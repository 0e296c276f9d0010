package dev.sparksweep.report;

import dev.sparksweep.leaderboard.ConfigRanking;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranked configurations as rows of text, for the command line and the report alike: rank, verdict, config id, model,
 * the hyperparameters that differ between configurations, then the intervals ({@code 98.31 +- 0.12 (n=3)}), Welch's
 * p-value against the best, mean training time and the seeds.
 *
 * @param header the column names
 * @param rows   one row of cells per configuration
 */
public record RankedTable(List<String> header, List<List<String>> rows) {

    /** Already in the model's name, or grouped away. */
    private static final Set<Param> NOT_LISTED = Set.of(Params.FAMILY, Params.LAYERS, Params.HIDDEN,
            Params.ACTIVATION, Params.EXTRA_FC, Params.BIDIRECTIONAL, Params.DROPOUT, Params.SEED);

    /**
     * @param plusMinus how the interval is written ({@code +-} in a terminal, {@code ±} in HTML)
     * @param top       at most this many configurations
     */
    public static RankedTable of(List<ConfigRanking.Ranked> ranked, String plusMinus, int top) {
        // By configuration, so that a parameter a row predates shows its default (what that row trained with), not a
        // blank that would look like another value.
        List<Map<String, Object>> configurations = ranked.stream()
                .map(r -> configuration(r.config())).toList();
        List<Param> varied = varied(configurations);
        List<String> header = new ArrayList<>(List.of("rank", "vs best", "config_id", "model"));
        varied.forEach(p -> header.add(p.column()));
        header.addAll(List.of("val % (95% CI)", "test % (95% CI)", "p (Welch)", "train s", "seeds"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            ConfigRanking.Ranked r = ranked.get(i);
            Row c = r.config();
            List<String> line = new ArrayList<>(List.of(Integer.toString(i + 1), r.verdict().marker(),
                    c.getAs("config_id"), c.getAs("model")));
            Map<String, Object> configuration = configurations.get(i);
            varied.forEach(p -> line.add(Param.format(configuration.get(p.key()))));
            line.add(interval(c, "val", plusMinus));
            line.add(interval(c, "test", plusMinus));
            line.add(Double.isNaN(r.pValue()) ? "" : String.format("%.3f", r.pValue()));
            Double seconds = c.getAs("train_seconds_mean");
            line.add(seconds == null ? "" : String.format("%.1f", seconds));
            line.add(String.valueOf(c.getList(c.fieldIndex("seeds"))));
            rows.add(line);
        }
        return new RankedTable(header, rows);
    }

    /** {@code 98.31 +- 0.12 (n=3)}; the mean alone with one seed; empty without a measurement. */
    public static String interval(Row c, String metric, String plusMinus) {
        Double mean = c.getAs(metric + "_mean");
        if (mean == null) {
            return "";
        }
        Double half = c.getAs(metric + "_ci95");
        return String.format("%.2f", 100 * mean) + (half == null ? "" : String.format(" %s %.2f", plusMinus,
                100 * half)) + " (n=" + c.getAs("n") + ")";
    }

    /** The parameters that take more than one value among the configurations, those the model's name shows aside. */
    static List<Param> varied(List<Map<String, Object>> configurations) {
        List<Param> varied = new ArrayList<>();
        for (Param p : Params.ALL) {
            if (NOT_LISTED.contains(p)) {
                continue;
            }
            Set<Object> values = new HashSet<>();
            configurations.forEach(c -> values.add(c.get(p.key())));
            if (values.size() > 1) {
                varied.add(p);
            }
        }
        return varied;
    }

    /** A configuration row's parameters by key, completed: a parameter the rows predate takes its default. */
    static Map<String, Object> configuration(Row config) {
        Set<String> columns = Set.of(config.schema().fieldNames());
        Map<String, Object> given = new LinkedHashMap<>();
        for (Param p : Params.ALL) {
            Object value = columns.contains(p.column()) ? config.getAs(p.column()) : null;
            if (value != null) {
                given.put(p.key(), value);
            }
        }
        return Params.completeRecorded(given);
    }
}
