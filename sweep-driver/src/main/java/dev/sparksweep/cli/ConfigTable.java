package dev.sparksweep.cli;

import dev.sparksweep.leaderboard.ConfigRanking;
import dev.sparksweep.leaderboard.LeaderboardQueries;
import dev.sparksweep.report.RankedTable;

import java.util.List;

/** The ranked configurations as a text table for {@code leaderboard --by config}. */
final class ConfigTable {

    private ConfigTable() {
    }

    static String format(LeaderboardQueries.RankedConfigs configs, int top) {
        List<ConfigRanking.Ranked> ranked = configs.ranked();
        RankedTable table = RankedTable.of(ranked, "+-", top);
        boolean validation = ranked.stream().anyMatch(r -> r.config().getAs("val_mean") != null);
        String legend = "configurations ranked by mean " + (validation ? "validation accuracy (each trial's best"
                + " evaluation; test: its final network)" : "test accuracy") + " over seeds; 'best': the best with"
                + " two seeds or more, '~ best': not significantly different from it (Welch's t-test, 5 %), 'worse':"
                + " significantly worse, 'n<2': too few seeds to compare\n";
        StringBuilder shown = new StringBuilder();
        configs.leftOut("--top N shows more").forEach(line -> shown.append(line).append('\n'));
        return legend + Tables.format(table.header(), table.rows()) + shown;
    }
}
