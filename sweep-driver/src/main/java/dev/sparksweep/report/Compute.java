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
     * what it trained itself), what continuing saved against training every budget from scratch, and, for a sweep
     * that shares trials with another ({@code sweep} not null), how much of it the other sweeps spent.
     */
    static String of(List<Row> trials, String sweep) {
        double own = 0;
        double saved = 0;
        double shared = 0;
        for (Row r : trials) {
            double wall = r.<Double>getAs("wall_seconds");
            Double recorded = r.getAs("own_wall_seconds");
            // Null in rows from before the column, and where what a trial continued had no known time (NaN in rows
            // written before that was stored as null): its whole wall time then.
            Double mine = recorded == null || recorded.isNaN() ? null : recorded;
            double cost = mine == null ? wall : mine;
            own += cost;
            saved += mine == null ? 0 : wall - mine;
            if (sweep != null && !sweep.equals(r.getAs("sweep"))) {
                shared += cost;
            }
        }
        return String.format(Locale.ROOT, "%.2f h", own / 3600) + (shared > 0 ? String.format(Locale.ROOT,
                ", of which %.2f h by the sweeps that trained its shared trials (this sweep: %.2f h)", shared / 3600,
                (own - shared) / 3600) : "") + (saved > 0 ? String.format(Locale.ROOT,
                " (%.2f h less than training every budget from scratch: longer budgets continued shorter ones)",
                saved / 3600) : "");
    }
}
