package dev.sparksweep.leaderboard;

import dev.sparksweep.data.DatasetName;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.refit.RefitSource;
import dev.sparksweep.search.DataSpec;
import dev.sparksweep.search.Trial;
import dev.sparksweep.train.CurvePoint;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configs view and the ranking on a hand-built leaderboard, checked against statistics computed here. */
class ConfigStatisticsTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("configs").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static TrialOutcome outcome(double lr, long seed, TrialStatus status, double val, double test) {
        Trial trial = Trial.of(ModelSpec.lstm(1).withHidden(8), new TrainingConfig(20, 10, lr, seed, 10, 100, 1),
                new DataSpec(DatasetName.MNIST, 100, 500, 100), "checksum");
        TrialResult result = new TrialResult(status, status == TrialStatus.OK ? null : "why", val, 20, val, test,
                0.5, List.of(new CurvePoint(20, 0.5, val)), 20, 2.0, 1.5 + seed, 13.3, 500, 1.9);
        Instant now = Instant.now();
        return new TrialOutcome(trial, result, new Provenance("v", "d", "n", "s", "b", "h", "e", 0, now, now));
    }

    private static final Map<Double, double[][]> RESULTS = Map.of(
            0.001, new double[][]{{0.90, 0.92, 0.94}, {0.89, 0.91, 0.95}},
            0.002, new double[][]{{0.80, 0.81, 0.79}, {0.78, 0.80, 0.79}},
            0.003, new double[][]{{0.915, 0.905}, {0.90, 0.91}},
            0.004, new double[][]{{0.85}, {0.84}});

    @Test
    void meansDeviationsAndStudentIntervalsPerConfigurationAndTheWelchVerdicts() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        RESULTS.forEach((lr, r) -> {
            for (int s = 0; s < r[0].length; s++) {
                store.append("stats", outcome(lr, s + 1, TrialStatus.OK, r[0][s], r[1][s]));
            }
        });
        store.append("stats", outcome(0.001, 9, TrialStatus.FAILED, Double.NaN, Double.NaN));
        // A configuration ASHA stopped on both seeds: in the view, but with no ok trial, nothing to rank it by.
        store.append("stats", outcome(0.005, 1, TrialStatus.STOPPED, 0.5, 0.5));
        store.append("stats", outcome(0.005, 2, TrialStatus.STOPPED, 0.6, 0.6));

        Map<Double, Row> byRate = ConfigStatistics.configs(store.leaderboard()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<Double>getAs("learning_rate"), r -> r));
        assertNull(byRate.remove(0.005).getAs("val_mean"), "stopped trials are not in the means");
        assertEquals(4, byRate.size(), "one row per configuration, seeds grouped");
        RESULTS.forEach((lr, r) -> {
            Row row = byRate.get(lr);
            assertEquals(r[0].length, row.<Long>getAs("n"));
            for (int m = 0; m < 2; m++) {
                String metric = m == 0 ? "val" : "test";
                DescriptiveStatistics stats = new DescriptiveStatistics(r[m]);
                assertEquals(stats.getMean(), row.<Double>getAs(metric + "_mean"), 1e-12, metric + " mean " + lr);
                if (r[m].length > 1) {
                    double half = new TDistribution(r[m].length - 1).inverseCumulativeProbability(0.975)
                            * stats.getStandardDeviation() / Math.sqrt(r[m].length);
                    assertEquals(stats.getStandardDeviation(), row.<Double>getAs(metric + "_sd"), 1e-12);
                    assertEquals(half, row.<Double>getAs(metric + "_ci95"), 1e-12, metric + " interval " + lr);
                    assertEquals(stats.getMean() - half, row.<Double>getAs(metric + "_ci_low"), 1e-12);
                } else {
                    assertNull(row.getAs(metric + "_ci95"), "no interval from one seed");
                }
            }
        });
        assertEquals(4L, byRate.get(0.001).<Long>getAs("trials"), "the failed trial counts as a trial, not in n");
        assertEquals(2.5 + 1, byRate.get(0.001).<Double>getAs("train_seconds_mean"), 1e-12);
        String one = byRate.get(0.001).getAs("config_id");
        assertEquals(outcome(0.001, 1, TrialStatus.OK, 0, 0).trial().configId(), one);

        List<ConfigRanking.Ranked> ranked = ConfigRanking.rank(List.copyOf(byRate.values()));
        assertEquals(List.of(0.001, 0.003, 0.004, 0.002),
                ranked.stream().map(r -> r.config().<Double>getAs("learning_rate")).toList());
        assertEquals(ConfigRanking.Verdict.BEST, ranked.get(0).verdict());
        double close = new TTest().tTest(RESULTS.get(0.001)[0], RESULTS.get(0.003)[0]);
        assertTrue(close >= 0.05);
        assertEquals(ConfigRanking.Verdict.NOT_SIGNIFICANT, ranked.get(1).verdict());
        assertEquals(close, ranked.get(1).pValue(), 1e-12);
        assertEquals(ConfigRanking.Verdict.TOO_FEW_SEEDS, ranked.get(2).verdict());
        double far = new TTest().tTest(RESULTS.get(0.001)[0], RESULTS.get(0.002)[0]);
        assertTrue(far < 0.05);
        assertEquals(ConfigRanking.Verdict.WORSE, ranked.get(3).verdict());

        // The query ranks in Spark and fetches only the page: the same ranking, verdicts and p-values as the whole
        // view ranked here, and the count of every configuration.
        LeaderboardQueries.RankedConfigs page = new LeaderboardQueries(store).configs(null, 2);
        assertEquals(5, page.total());
        assertEquals(4, page.scored());
        assertEquals(List.of("the best 2 of 4 ranked configurations (more)", "1 of 5 configurations are not ranked:"
                + " none of their trials finished ok (stopped early by ASHA, diverged, failed or timed out)"),
                page.leftOut("more"));
        assertEquals(ranked.subList(0, 2).stream().map(r -> r.config().<String>getAs("config_id")).toList(),
                page.ranked().stream().map(r -> r.config().<String>getAs("config_id")).toList());
        assertEquals(ranked.get(1).pValue(), page.ranked().get(1).pValue(), 1e-12);
        assertEquals(List.of(ConfigRanking.Verdict.BEST, ConfigRanking.Verdict.NOT_SIGNIFICANT),
                page.ranked().stream().map(ConfigRanking.Ranked::verdict).toList());
        LeaderboardQueries.RankedConfigs all = new LeaderboardQueries(store).configs("stats", 10);
        assertEquals(4, all.ranked().size());
        assertEquals(1, all.leftOut("more").size(), "every ranked configuration shown; the unranked one said");
        assertEquals(0, new LeaderboardQueries(store).configs("no-such-sweep", 10).total());
    }

    @Test
    void theBestHasTwoSeedsOrMoreSoASingleRunAboveItIsNotTheReference() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        // 0.004 has one seed (its others still to train) and the highest mean; 0.001 and 0.002 have three each.
        store.append("single", outcome(0.004, 1, TrialStatus.OK, 0.99, 0.98));
        double[][] good = RESULTS.get(0.001);
        double[][] poor = RESULTS.get(0.002);
        for (int s = 0; s < 3; s++) {
            store.append("single", outcome(0.001, s + 1, TrialStatus.OK, good[0][s], good[1][s]));
            store.append("single", outcome(0.002, s + 1, TrialStatus.OK, poor[0][s], poor[1][s]));
        }
        store.append("alone", outcome(0.004, 1, TrialStatus.OK, 0.99, 0.98));
        LeaderboardQueries queries = new LeaderboardQueries(store);

        List<ConfigRanking.Ranked> all = queries.configs("single", 10).ranked();
        assertEquals(List.of(0.004, 0.001, 0.002),
                all.stream().map(r -> r.config().<Double>getAs("learning_rate")).toList(), "ranked by mean");
        assertEquals(List.of(ConfigRanking.Verdict.TOO_FEW_SEEDS, ConfigRanking.Verdict.BEST,
                ConfigRanking.Verdict.WORSE), all.stream().map(ConfigRanking.Ranked::verdict).toList(),
                "compared with the best replicated configuration, not with the single run");
        assertEquals(new TTest().tTest(good[0], poor[0]), all.get(2).pValue(), 1e-12);
        assertEquals(List.of(ConfigRanking.Verdict.TOO_FEW_SEEDS), queries.configs("single", 1).ranked().stream()
                .map(ConfigRanking.Ranked::verdict).toList(), "the page's only row is not the best: that is below it");
        assertEquals(List.of(ConfigRanking.Verdict.BEST), queries.configs("alone", 10).ranked().stream()
                .map(ConfigRanking.Ranked::verdict).toList(), "with no replicated configuration the top one is best");
        assertEquals(all.get(1).config().<String>getAs("config_id"), RefitSource.best(store, "single").configId(),
                "refit --best trains the configuration the ranking marks best");
        assertEquals(queries.configs("alone", 10).ranked().get(0).config().<String>getAs("config_id"),
                RefitSource.best(store, "alone").configId());
    }

    @Test
    void configurationsWithoutValidationAreNotRankedWithThoseWithItAndSaySo() {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        double[][] good = RESULTS.get(0.001);
        double[][] poor = RESULTS.get(0.002);
        for (int s = 0; s < 3; s++) {
            store.append("validated", outcome(0.001, s + 1, TrialStatus.OK, good[0][s], good[1][s]));
            store.append("validated", outcome(0.002, s + 1, TrialStatus.OK, poor[0][s], poor[1][s]));
            // A sweep that held out no validation data (validation-size = 0), in the same folder, three seeds.
            store.append("test-only", outcome(0.009, s + 1, TrialStatus.OK, Double.NaN, 0.97));
        }
        LeaderboardQueries.RankedConfigs all = new LeaderboardQueries(store).configs(null, 10);
        assertEquals(List.of(0.001, 0.002), all.ranked().stream().map(r -> r.config().<Double>getAs("learning_rate"))
                .toList(), "ranked by validation accuracy");
        assertEquals(List.of(ConfigRanking.Verdict.BEST, ConfigRanking.Verdict.WORSE), all.ranked().stream()
                .map(ConfigRanking.Ranked::verdict).toList(), "the best is among those ranked");
        assertEquals(List.of("1 of 3 configurations are not ranked with these: they have no validation accuracy"
                + " (their sweep held out no validation data); --sweep NAME ranks a sweep by test accuracy"),
                all.leftOut("more"), "said as it is, not as a failure");
        assertEquals(List.of(ConfigRanking.Verdict.BEST), new LeaderboardQueries(store).configs("test-only", 10)
                .ranked().stream().map(ConfigRanking.Ranked::verdict).toList());
    }

    @Test
    void aRetriedTrialCountsOnceByItsLatestAttempt() throws InterruptedException {
        LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
        // Seed 1 failed, then its retry finished ok; seed 2 finished ok and was trained again (--retry ok).
        for (TrialOutcome o : List.of(outcome(0.005, 1, TrialStatus.FAILED, Double.NaN, Double.NaN),
                outcome(0.005, 1, TrialStatus.OK, 0.70, 0.71), outcome(0.005, 2, TrialStatus.OK, 0.60, 0.61),
                outcome(0.005, 2, TrialStatus.OK, 0.80, 0.81))) {
            store.append("retries", o);
            Thread.sleep(5); // attempts finish one after the other
        }
        assertEquals(4, store.leaderboard().count(), "the raw table keeps every attempt");
        LeaderboardQueries queries = new LeaderboardQueries(store);
        LeaderboardQueries.RankedConfigs configs = queries.configs("retries", 10);
        Row config = configs.ranked().get(0).config();
        assertEquals(2L, config.<Long>getAs("n"), "two trials, not four attempts");
        assertEquals(2L, config.<Long>getAs("trials"));
        assertEquals(0.75, config.<Double>getAs("val_mean"), 1e-12, "the latest attempts' values: 0.70 and 0.80");
        assertEquals(0, queries.notOk("retries"), "the failure was put right by its retry");
        assertEquals(List.of(0.80, 0.70), queries.ranked("retries").collectAsList().stream()
                .map(r -> r.<Double>getAs("best_val_accuracy")).toList());
        // In SQL: 'trials' counts as the rankings do, 'leaderboard' keeps every attempt.
        store.registerViews();
        assertEquals(List.of(0.70, 0.80), spark.sql("SELECT best_val_accuracy FROM trials ORDER BY 1").collectAsList()
                .stream().map(r -> r.getDouble(0)).toList());
        assertEquals(4L, spark.sql("SELECT count(*) FROM leaderboard").first().getLong(0));
    }
}
