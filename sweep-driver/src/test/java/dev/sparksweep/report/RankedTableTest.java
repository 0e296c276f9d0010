package dev.sparksweep.report;

import dev.sparksweep.leaderboard.ConfigRanking;
import dev.sparksweep.leaderboard.ConfigStatistics;
import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.ResultsCommitTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which hyperparameters the ranked table shows: those that differ, a column a row predates reading as its default. */
class RankedTableTest {

    @TempDir
    Path dir;

    @Test
    void aParameterARowPredatesIsItsDefaultNotAnotherValue() {
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("ranked")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            LeaderboardStore store = new LeaderboardStore(spark, dir.toString());
            for (long seed = 1; seed <= 4; seed++) {
                store.append("s", ResultsCommitTest.distinctOutcome(seed));
            }
            // Seeds 1-2 as rows written before bias-init and augment-shift existed (NULL), 3-4 with their defaults.
            Dataset<Row> rows = store.leaderboard()
                    .withColumn("bias_init", when(col("seed").leq(2), lit(null)).otherwise(col("bias_init")))
                    .withColumn("augment_shift", when(col("seed").leq(2), lit(null)).otherwise(col("augment_shift")))
                    .withColumn("learning_rate", when(col("seed").leq(2), lit(0.0025)).otherwise(lit(0.005)))
                    .withColumn("config_id", when(col("seed").leq(2), lit("old")).otherwise(lit("new")));
            List<ConfigRanking.Ranked> ranked = ConfigRanking.rank(ConfigStatistics.configs(rows).collectAsList());
            List<String> header = RankedTable.of(ranked, "+-", 10).header();
            assertTrue(header.contains("learning_rate"), "a parameter that differs is shown: " + header);
            assertFalse(header.contains("bias_init") || header.contains("augment_shift"),
                    "NULL in rows that predate a parameter is its default, the same as the others': " + header);
        }
    }
}
