package dev.sparksweep.report;

import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Locale;

/** The compute a report's trials took, for its settings table. */
final class Compute {

    private Compute() {
    }

    /**
     * What the trials cost: their own wall time (a trial that continued a shorter budget's checkpoint counts only
     * what it trained itself), and what continuing saved against training every budget from scratch.
     */
    static String of(List<Row> trials) {
        double own = 0;
        double saved = 0;
        for (Row r : trials) {
            double wall = r.<Double>getAs("wall_seconds");
            Double mine = r.getAs("own_wall_seconds");
            own += mine == null ? wall : mine;
            saved += mine == null ? 0 : wall - mine;
        }
        return String.format(Locale.ROOT, "%.2f h", own / 3600) + (saved > 0 ? String.format(Locale.ROOT,
                " (%.2f h less than training every budget from scratch: longer budgets continued shorter ones)",
                saved / 3600) : "");
    }
}
