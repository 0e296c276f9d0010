package dev.sparksweep.report;

import dev.sparksweep.leaderboard.SweepHistory;
import dev.sparksweep.search.params.Configurations;
import dev.sparksweep.search.params.Param;
import dev.sparksweep.search.params.Params;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The report's ASHA section. The ranked table shows configurations with a trial that finished ok; under ASHA most
 * configurations never get one (every seed stopped at an early rung), so this section says how far each got: its
 * furthest rung, the mean validation accuracy of its trials there and what ASHA decided. With the count of decisions
 * per rung and every trial's validation accuracy per rung, it shows what the search tried and where it cut.
 */
final class AshaSection {

    /** Configurations listed, furthest first. */
    static final int TOP = 50;

    /**
     * One configuration's furthest rung.
     *
     * @param configuration its parameters by key (a parameter its rows predate at its default)
     * @param iterations    the rung's iterations (the most any of its trials there trained)
     * @param score         mean validation accuracy (test where there is none) of its trials measured at that rung;
     *                      NaN if none was (they failed, diverged or timed out there)
     * @param trials        how many of its trials (seeds) reached that rung
     * @param decisions     ASHA's decisions there, by name
     */
    record Furthest(String configId, String model, Map<String, Object> configuration, int rung, int iterations,
                    double score, int trials, Map<String, Integer> decisions) {
    }

    private AshaSection() {
    }

    /**
     * Adds the section when the sweep has rung records.
     *
     * @param records the rung rows of each trial's latest attempt
     * @param trials  the sweep's leaderboard rows, with their {@code config_id}
     */
    static void addTo(Html html, List<Row> records, List<Row> trials) {
        if (records.isEmpty()) {
            return;
        }
        html.heading("ASHA rungs");
        TreeMap<Integer, Map<String, Integer>> decisions = new TreeMap<>();
        Map<Integer, SortedSet<Integer>> iterationsAt = new TreeMap<>();
        Map<String, List<Charts.Point>> byTrial = new LinkedHashMap<>();
        Map<String, String> labels = seriesLabels(records, trials);
        for (Row r : records) {
            int rung = r.getAs("rung");
            decisions.computeIfAbsent(rung, k -> new TreeMap<>()).merge(r.<String>getAs("decision"), 1, Integer::sum);
            iterationsAt.computeIfAbsent(rung, k -> new TreeSet<>()).add(r.<Integer>getAs("iterations"));
            double y = SweepHistory.rungScore(r);
            if (!Double.isNaN(y)) {
                byTrial.computeIfAbsent(labels.get(r.<String>getAs("trial_id")), k -> new ArrayList<>())
                        .add(new Charts.Point(rung, y));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        decisions.forEach((rung, counts) -> rows.add(List.of(Integer.toString(rung), counts.toString())));
        html.table(new Html.Table(List.of("rung", "decisions"), rows));

        List<Furthest> furthest = furthest(records, trials);
        html.paragraph("How far each configuration got: its furthest rung, the mean validation accuracy of its trials"
                + " there, and ASHA's decisions there (furthest first, then best)."
                + (furthest.size() > TOP ? " The first " + TOP + " of " + furthest.size() + "." : ""));
        html.table(table(furthest.subList(0, Math.min(TOP, furthest.size()))));
        html.paragraph("A configuration whose decision at its furthest rung is 'promoted' is training toward the next"
                + " rung, or was when its sweep stopped (a rerun continues it). In the plot a line is a trial, named in"
                + " the legend (up to 20 lines) by its configuration, and seed where the configuration has several.");
        html.image(Charts.png(Charts.rungs(byTrial, rungLabels(iterationsAt, decisions.lastKey()))),
                "validation accuracy per rung");
    }

    /**
     * The rung plot's x labels: each rung's iterations; several joined by '/' where sweeps with other rungs share
     * the report (no --sweep), and 'rung k' for a rung with no record here (a trial this sweep continued from
     * another's rung).
     */
    static List<String> rungLabels(Map<Integer, SortedSet<Integer>> iterationsAt, int lastRung) {
        List<String> labels = new ArrayList<>();
        for (int rung = 0; rung <= lastRung; rung++) {
            SortedSet<Integer> at = iterationsAt.get(rung);
            labels.add(at == null ? "rung " + rung
                    : at.stream().map(String::valueOf).collect(Collectors.joining("/")));
        }
        return labels;
    }

    /**
     * Each trial's name in the rung plot: its configuration's id, which the table above lists, and its seed where the
     * configuration has several trials in the records.
     */
    static Map<String, String> seriesLabels(List<Row> records, List<Row> trials) {
        Map<String, Row> trialById = new HashMap<>();
        trials.forEach(t -> trialById.put(t.getAs("trial_id"), t));
        Map<String, String> configOfTrial = new LinkedHashMap<>();
        Map<String, Object> seedOfTrial = new HashMap<>();
        for (Row r : records) {
            String trial = r.getAs("trial_id");
            String config = configId(r, trialById.get(trial));
            configOfTrial.putIfAbsent(trial, config == null ? trial : config);
            seedOfTrial.putIfAbsent(trial, Params.decode(r.getAs("configuration")).get(Params.SEED.key()));
        }
        Map<String, Long> trialsOfConfig = new HashMap<>();
        configOfTrial.values().forEach(c -> trialsOfConfig.merge(c, 1L, Long::sum));
        Map<String, String> out = new HashMap<>();
        configOfTrial.forEach((trial, config) -> out.put(trial, trialsOfConfig.get(config) == 1 ? config
                : config + " seed " + seedOfTrial.get(trial)));
        // Two trials under one name would draw one zig-zag line (a seed recorded twice, or at its default): by id.
        Map<String, Long> uses = new HashMap<>();
        out.values().forEach(label -> uses.merge(label, 1L, Long::sum));
        out.replaceAll((trial, label) -> uses.get(label) > 1 ? configOfTrial.get(trial) + " " + trial : label);
        return out;
    }

    /**
     * Each configuration's furthest rung, furthest first, then by score (unmeasured last). A trial counts once, at its
     * own furthest rung (with no {@code --sweep}, a trial begun in one sweep and finished in another has rows in
     * both); trials under way, with no leaderboard row yet, count by their rung rows' configuration.
     */
    static List<Furthest> furthest(List<Row> records, List<Row> trials) {
        Map<String, Row> trialById = new HashMap<>();
        trials.forEach(t -> trialById.put(t.getAs("trial_id"), t));
        Map<String, Row> furthestOfTrial = new LinkedHashMap<>();
        for (Row r : records) {
            furthestOfTrial.merge(r.getAs("trial_id"), r, (a, b) -> b.<Integer>getAs("rung") > a.<Integer>getAs("rung")
                    ? b : a);
        }
        Map<String, List<Row>> atFurthest = new LinkedHashMap<>();
        Map<String, Map<String, Object>> configurationOf = new HashMap<>();
        Map<String, String> modelOf = new HashMap<>();
        for (Row r : furthestOfTrial.values()) {
            Row trial = trialById.get(r.<String>getAs("trial_id"));
            String config = configId(r, trial);
            if (config == null) {
                continue; // a row from before configuration ids, of a trial with no leaderboard row
            }
            if (trial != null && !modelOf.containsKey(config)) {
                configurationOf.put(config, RankedTable.configuration(trial));
                modelOf.put(config, trial.getAs("model"));
            } else if (!configurationOf.containsKey(config)) {
                Map<String, Object> c = Params.completeRecorded(Params.decode(r.getAs("configuration")));
                configurationOf.put(config, c);
                modelOf.put(config, modelName(c));
            }
            List<Row> there = atFurthest.computeIfAbsent(config, k -> new ArrayList<>());
            int rung = r.getAs("rung");
            int current = there.isEmpty() ? -1 : there.get(0).<Integer>getAs("rung");
            if (rung > current) {
                there.clear();
            }
            if (rung >= current) {
                there.add(r);
            }
        }
        List<Furthest> out = new ArrayList<>();
        atFurthest.forEach((config, there) -> {
            Map<String, Integer> decided = new TreeMap<>();
            double sum = 0;
            int measured = 0;
            int iterations = 0;
            for (Row r : there) {
                decided.merge(r.getAs("decision"), 1, Integer::sum);
                double s = SweepHistory.rungScore(r);
                if (!Double.isNaN(s)) {
                    sum += s;
                    measured++;
                }
                iterations = Math.max(iterations, r.<Integer>getAs("iterations"));
            }
            out.add(new Furthest(config, modelOf.get(config), configurationOf.get(config),
                    there.get(0).getAs("rung"), iterations, measured == 0 ? Double.NaN : sum / measured,
                    there.size(), decided));
        });
        out.sort(Comparator.comparingInt(Furthest::rung).reversed()
                .thenComparing(f -> Double.isNaN(f.score()) ? Double.NEGATIVE_INFINITY : f.score(),
                        Comparator.reverseOrder())
                .thenComparing(Furthest::configId));
        return out;
    }

    /** The rung row's configuration id; for rows from before it was recorded, its trial's. */
    private static String configId(Row rung, Row trial) {
        boolean has = java.util.Arrays.asList(rung.schema().fieldNames()).contains("config_id");
        String id = has ? rung.getAs("config_id") : null;
        return id != null ? id : trial == null ? null : trial.getAs("config_id");
    }

    /** The model's name as the leaderboard writes it, from a configuration; "?" if it no longer builds. */
    private static String modelName(Map<String, Object> configuration) {
        try {
            return Configurations.model(configuration).describe();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static Html.Table table(List<Furthest> furthest) {
        List<Map<String, Object>> configurations = furthest.stream().map(Furthest::configuration).toList();
        List<Param> varied = RankedTable.varied(configurations);
        List<String> header = new ArrayList<>(List.of("config_id", "model"));
        varied.forEach(p -> header.add(p.column()));
        header.addAll(List.of("furthest rung", "iterations", "val % there (mean)", "trials there", "decisions"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < furthest.size(); i++) {
            Furthest f = furthest.get(i);
            List<String> line = new ArrayList<>(List.of(f.configId(), f.model()));
            Map<String, Object> configuration = configurations.get(i);
            varied.forEach(p -> line.add(Param.format(configuration.get(p.key()))));
            line.addAll(List.of(Integer.toString(f.rung()), Integer.toString(f.iterations()),
                    Double.isNaN(f.score()) ? "" : String.format("%.2f", 100 * f.score()),
                    Integer.toString(f.trials()), f.decisions().toString()));
            rows.add(line);
        }
        return new Html.Table(header, rows);
    }
}
