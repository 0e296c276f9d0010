package dev.sparksweep.report;

import dev.sparksweep.leaderboard.AttemptCurves;
import dev.sparksweep.leaderboard.ConfigRanking;
import dev.sparksweep.leaderboard.ConfigStatistics;
import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsException;
import dev.sparksweep.leaderboard.SweepHistory;
import dev.sparksweep.search.params.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * A sweep's answer in one HTML file: settings and provenance, the configurations ranked over their seeds with 95 %
 * intervals and Welch verdicts, the learning curves of the best configurations, test accuracy by each hyperparameter
 * the sweep varied, accuracy against training time and against parameter count with the Pareto front, and every trial
 * that did not finish ok with its error. Plots are embedded PNGs: the file opens anywhere, without a network.
 */
public final class SweepReport {

    private static final int TOP_CURVES = 5;
    /** The report lists at most this many configurations; the terminal pages through the rest. */
    private static final int TOP_CONFIGS = 200;

    private final LeaderboardStore store;

    public SweepReport(LeaderboardStore store) {
        this.store = store;
    }

    /** Writes the report of {@code sweep} (all sweeps when null) to {@code file}; returns how many trials it covers. */
    public int write(String sweep, Path file) {
        return write(sweep, file, null);
    }

    /**
     * Writes the report, and, when {@code pngDir} is not null, every plot as its own PNG file there too, named after
     * its caption (for documents that show a sweep's plots).
     */
    public int write(String sweep, Path file, Path pngDir) {
        Dataset<Row> rowsOfSweep = LeaderboardQueries.ofSweep(store, sweep);
        List<Row> trials = ResultsException.reading(() -> ConfigStatistics.withConfigIds(rowsOfSweep).collectAsList());
        long attempts = ResultsException.reading(() -> store.leaderboardOf(sweep).count());
        if (trials.isEmpty()) {
            throw ResultsException.nothingToShow("no trials" + (sweep == null ? "" : " of sweep '" + sweep + "'")
                    + " to report");
        }
        LeaderboardQueries.RankedConfigs configs = new LeaderboardQueries(store).configs(sweep, TOP_CONFIGS);
        List<ConfigRanking.Ranked> ranked = configs.ranked();
        Html html = new Html("sparksweep report" + (sweep == null ? "" : ": " + sweep));
        List<Row> rungRecords = rungRecords(sweep);
        long underWay = underWay(rungRecords);
        html.paragraph("Generated " + Instant.now() + " from " + trials.size() + " trials in " + store.leaderboardPath()
                + "." + (underWay == 0 ? "" : " " + underWay + " trial(s) under way: promoted by ASHA to a rung they"
                + " have not reached yet (still training, or cut off; a rerun continues them)."));
        settings(html, trials, attempts - trials.size(), sweep);
        html.heading("Configurations ranked over seeds");
        html.paragraph("Mean accuracy over each configuration's seeds with its 95 % confidence interval (Student t);"
                + " 'best' is the highest mean validation accuracy of a configuration with two seeds or more, '~ best'"
                + " marks configurations whose difference from it is not significant (Welch's t-test, 5 %), 'worse'"
                + " those significantly worse, 'n<2' those with too few seeds to compare (one run, ranked by it). A"
                + " trial's validation accuracy is the best of its curve's evaluations; its test accuracy is the final"
                + " network's, so a configuration that peaks and then falls shows a test accuracy well below it.");
        html.table(configTable(ranked));
        for (String line : configs.leftOut("`sparksweep leaderboard --by config --top N` lists more")) {
            html.paragraph(Character.toUpperCase(line.charAt(0)) + line.substring(1) + ".");
        }
        // The seeds the ranked table counts: a diverged or cut-off seed's partial curve is not averaged in.
        curves(html, ok(trials), ranked);
        ParameterPanels.addTo(html, ok(trials));
        Interactions.addTo(html, ok(trials));
        costs(html, ok(trials));
        AshaSection.addTo(html, rungRecords, trials);
        notOk(html, trials);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html.render(), StandardCharsets.UTF_8);
            if (pngDir != null) {
                Files.createDirectories(pngDir);
                Set<String> written = new HashSet<>();
                for (Map.Entry<String, byte[]> image : html.images().entrySet()) {
                    // Long captions cut to the same name (models that differ at the end) get a number each.
                    String name = fileName(image.getKey());
                    for (int n = 2; !written.add(name); n++) {
                        name = fileName(image.getKey()).replaceAll("\\.png$", "-" + n + ".png");
                    }
                    Files.write(pngDir.resolve(name), image.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        return trials.size();
    }

    /** A caption as a file name: {@code Test accuracy by layers} becomes {@code test-accuracy-by-layers.png}. */
    static String fileName(String caption) {
        String slug = caption.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        return (slug.length() > 80 ? slug.substring(0, 80) : slug) + ".png";
    }

    /**
     * Trials whose latest rung record promoted them: sent on to the next rung, which has no record yet (still
     * training, or cut off). Decided by the rung records alone, so that a stopped seed revived later (its
     * configuration completed on another seed), which already has a final row, counts too.
     */
    static long underWay(List<Row> rungRecords) {
        Map<String, Row> furthest = new HashMap<>();
        for (Row r : rungRecords) {
            furthest.merge(r.getAs("trial_id"), r, (a, b) -> b.<Integer>getAs("rung") >= a.<Integer>getAs("rung")
                    ? b : a);
        }
        return furthest.values().stream().filter(r -> "promoted".equals(r.getAs("decision"))).count();
    }

    private static List<Row> ok(List<Row> trials) {
        return trials.stream().filter(r -> "ok".equals(r.getAs("status")) && r.getAs("test_accuracy") != null)
                .toList();
    }

    private static void settings(Html html, List<Row> trials, long earlierAttempts, String sweep) {
        html.heading("Settings and provenance");
        List<List<String>> rows = new ArrayList<>();
        // A sweep counts the trials it shares with a sweep that trained them first: say which trained how many.
        Map<String, Integer> bySweep = new TreeMap<>();
        trials.forEach(r -> bySweep.merge(r.getAs("sweep"), 1, Integer::sum));
        rows.add(List.of(bySweep.size() == 1 ? "sweep" : "trained by sweep", bySweep.size() == 1
                ? bySweep.keySet().iterator().next() : bySweep.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(java.util.stream.Collectors.joining(", "))));
        for (String column : List.of("dataset", "dataset_checksum", "validation_size", "train_limit",
                "test_limit", "eval_every", "threads", "time_limit_seconds", "sparksweep_version", "dl4j_version",
                "nd4j_version", "spark_version", "backend", "java_version", "jvm_vendor", "host", "device")) {
            Set<String> values = new LinkedHashSet<>();
            for (Row r : trials) {
                Object v = r.getAs(column);
                values.add(v == null ? "" : v.toString());
            }
            rows.add(List.of(column, String.join(", ", values)));
        }
        Map<String, Integer> counts = new TreeMap<>();
        trials.forEach(r -> counts.merge(r.getAs("status"), 1, Integer::sum));
        rows.add(List.of("trials by status", counts.toString()));
        if (earlierAttempts > 0) {
            // Shown, not counted: each trial is reported by its latest attempt.
            rows.add(List.of("earlier attempts (failed and retried, retrained, or stopped by ASHA and completed later)", Long.toString(earlierAttempts)));
        }
        rows.add(List.of("compute (trials' wall time)", Compute.of(trials, sweep)));
        html.table(new Html.Table(List.of("setting", "value(s)"), rows));
    }


    private static Html.Table configTable(List<ConfigRanking.Ranked> ranked) {
        RankedTable table = RankedTable.of(ranked, "±", Integer.MAX_VALUE);
        return new Html.Table(table.header(), table.rows());
    }

    private void curves(Html html, List<Row> trials, List<ConfigRanking.Ranked> ranked) {
        Map<String, String> configOfTrial = new HashMap<>();
        Map<String, String> appendOfTrial = new HashMap<>();
        for (Row r : trials) {
            configOfTrial.put(r.getAs("trial_id"), r.getAs("config_id"));
            appendOfTrial.put(r.getAs("trial_id"), r.getAs("append_id"));
        }
        List<String> top = ranked.stream().limit(TOP_CURVES).map(r -> r.config().<String>getAs("config_id")).toList();
        Map<String, String> appendOfTop = new HashMap<>();
        configOfTrial.forEach((trial, config) -> {
            if (top.contains(config)) {
                appendOfTop.put(trial, appendOfTrial.get(trial));
            }
        });
        List<Row> points = AttemptCurves.of(store, appendOfTop);
        boolean validation = points.stream().anyMatch(p -> p.getAs("validation_accuracy") != null);
        Map<String, Map<Integer, List<Double>>> byConfig = new LinkedHashMap<>();
        top.forEach(c -> byConfig.put(c, new TreeMap<>()));
        for (Row p : points) {
            String config = configOfTrial.get(p.<String>getAs("trial_id"));
            if (!byConfig.containsKey(config)) {
                continue;
            }
            Double y = p.getAs(validation ? "validation_accuracy" : "test_accuracy");
            if (y != null) {
                byConfig.get(config).computeIfAbsent(p.<Integer>getAs("iteration"), k -> new ArrayList<>()).add(y);
            }
        }
        // A curve is named by its model and the settings the ranked configurations differ in, as the table shows them.
        List<Param> varied = RankedTable.varied(ranked.stream().map(r -> RankedTable.configuration(r.config()))
                .toList());
        List<Charts.MeanCurve> curves = new ArrayList<>();
        for (ConfigRanking.Ranked r : ranked.stream().limit(TOP_CURVES).toList()) {
            Map<Integer, List<Double>> byIteration = byConfig.get(r.config().<String>getAs("config_id"));
            if (byIteration == null || byIteration.isEmpty()) {
                continue;
            }
            double[] x = new double[byIteration.size()];
            double[] mean = new double[x.length];
            double[] sd = new double[x.length];
            int i = 0;
            for (var e : byIteration.entrySet()) {
                x[i] = e.getKey();
                double m = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double v = e.getValue().stream().mapToDouble(d -> (d - m) * (d - m)).sum()
                        / Math.max(1, e.getValue().size() - 1);
                mean[i] = m;
                sd[i++] = Math.sqrt(v);
            }
            curves.add(new Charts.MeanCurve(curveLabel(r.config(), varied) + ": "
                    + RankedTable.interval(r.config(), validation ? "val" : "test", "±"), x, mean, sd));
        }
        if (!curves.isEmpty()) {
            html.heading("Learning curves");
            html.image(Charts.png(Charts.curves(curves, (validation ? "validation" : "test") + " accuracy (%)")),
                    "learning curves of the best configurations");
        }
    }

    /**
     * Accuracy against training time and against parameter count, each with the Pareto front over all trials; a
     * colour per model when there are a few (each model's cost is mostly its own).
     */
    private static void costs(Html html, List<Row> ok) {
        if (ok.isEmpty()) {
            return;
        }
        long models = ok.stream().map(r -> r.getAs("model")).distinct().count();
        boolean coloured = models >= 2 && models <= ParameterPanels.MAX_MODELS;
        Map<String, List<Charts.Point>> time = new TreeMap<>();
        Map<String, List<Charts.Point>> size = new TreeMap<>();
        for (Row r : ok) {
            String series = coloured ? r.getAs("model") : "trials";
            time.computeIfAbsent(series, k -> new ArrayList<>()).add(new Charts.Point(r.<Double>getAs("train_seconds"),
                    r.<Double>getAs("test_accuracy")));
            size.computeIfAbsent(series, k -> new ArrayList<>()).add(new Charts.Point(r.<Long>getAs("param_count"),
                    r.<Double>getAs("test_accuracy")));
        }
        html.heading("Accuracy against cost");
        html.image(Charts.png(Charts.pareto("Test accuracy against training time", "training seconds", time)),
                "test accuracy against training time, Pareto front");
        html.image(Charts.png(Charts.pareto("Test accuracy against parameter count", "parameters", size)),
                "test accuracy against parameter count, Pareto front");
    }

    /** {@code lstm-2x128, learning_rate 0.001, batch_size 100}: the model and the values of the varied settings. */
    private static String curveLabel(Row config, List<Param> varied) {
        Map<String, Object> values = RankedTable.configuration(config);
        StringBuilder label = new StringBuilder(config.<String>getAs("model"));
        varied.forEach(p -> label.append(", ").append(p.column()).append(' ').append(Param.format(values.get(p.key()))));
        return label.toString();
    }

    /** The rung rows of the sweep's trials, each trial's latest attempt (an earlier one's are not its decisions). */
    private List<Row> rungRecords(String sweep) {
        Dataset<Row> rungs = sweep == null ? store.rungs() : store.rungs().filter(col("sweep").equalTo(sweep));
        return SweepHistory.latestAttempts(ResultsException.reading(() -> rungs.orderBy("trial_id", "rung")
                .collectAsList()));
    }

    private static void notOk(Html html, List<Row> trials) {
        List<List<String>> rows = new ArrayList<>();
        for (Row r : trials) {
            if (!"ok".equals(r.getAs("status")) && !"stopped".equals(r.getAs("status"))) {
                rows.add(List.of(r.getAs("trial_id"), r.getAs("model"), r.getAs("status"),
                        String.valueOf(r.<Object>getAs("error"))));
            }
        }
        html.heading("Trials that failed, diverged or timed out");
        if (rows.isEmpty()) {
            html.paragraph("None.");
        } else {
            html.table(new Html.Table(List.of("trial_id", "model", "status", "error"), rows));
        }
    }
}
