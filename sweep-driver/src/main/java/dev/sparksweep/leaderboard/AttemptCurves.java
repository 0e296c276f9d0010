package dev.sparksweep.leaderboard;

import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which curve points make up the learning curve of one leaderboard row. A trial trained whole commits its curve with
 * its row, under the row's {@code append_id}. An ASHA trial commits each segment's new points with that segment's rung
 * row, and its leaderboard row carries the last segment's commit only: its curve is the points of every segment of
 * the attempt that row ends (from its newest rung-0 segment on: a trial trained again starts over there). A segment
 * that restarted from scratch (its checkpoint lost) trained earlier iterations again; its points replace theirs.
 */
public final class AttemptCurves {

    private AttemptCurves() {
    }

    /**
     * The curve points of each trial's row, by trial: the row's {@code append_id}, or null for every point of the
     * trial (rows written before rows had one). Each trial's points come by iteration.
     */
    public static List<Row> of(LeaderboardStore store, Map<String, String> appendOfTrial) {
        Object[] ids = appendOfTrial.keySet().toArray();
        List<Row> points = ResultsException.reading(() -> store.curves().filter(col("trial_id").isin(ids))
                .collectAsList());
        List<Row> rungs = ResultsException.reading(() -> store.rungs().filter(col("trial_id").isin(ids))
                .select("sweep", "trial_id", "rung", "append_id", "finished_at").collectAsList());
        Map<String, List<Row>> pointsOf = new TreeMap<>();
        points.forEach(p -> pointsOf.computeIfAbsent(p.getAs("trial_id"), k -> new ArrayList<>()).add(p));
        Map<String, List<Row>> rungsOf = new HashMap<>();
        rungs.forEach(r -> rungsOf.computeIfAbsent(r.getAs("trial_id"), k -> new ArrayList<>()).add(r));
        List<Row> out = new ArrayList<>();
        pointsOf.forEach((trial, own) -> {
            String append = appendOfTrial.get(trial);
            List<String> segments = append == null ? null : segments(rungsOf.getOrDefault(trial, List.of()), append);
            out.addAll(segments == null ? own.stream().sorted(Comparator.comparing((Row p) -> p.<Integer>getAs(
                    "iteration"))).toList() : assemble(own, segments));
        });
        return out;
    }

    /**
     * The commit ids whose points are the curve of the row committed as {@code rowAppendId}, oldest segment first:
     * that id alone for a trial trained whole.
     *
     * @param rungs rung rows of the row's trial, any order, other sweeps' included ({@code sweep}, {@code rung},
     *              {@code append_id}, {@code finished_at})
     */
    public static List<String> segments(List<Row> rungs, String rowAppendId) {
        Optional<Row> last = rungs.stream().filter(r -> rowAppendId.equals(r.getAs("append_id"))).findFirst();
        if (last.isEmpty()) {
            return List.of(rowAppendId);
        }
        String sweep = last.get().getAs("sweep");
        Timestamp end = last.get().getAs("finished_at");
        List<Row> earlier = rungs.stream().filter(r -> sweep.equals(r.getAs("sweep"))
                        && r.getAs("append_id") != null && !r.<Timestamp>getAs("finished_at").after(end))
                .sorted(Comparator.comparing((Row r) -> r.<Timestamp>getAs("finished_at"))).toList();
        int start = 0;
        for (int i = 0; i < earlier.size(); i++) {
            if (earlier.get(i).<Integer>getAs("rung") == 0) {
                start = i;
            }
        }
        return earlier.subList(start, earlier.size()).stream().map(r -> r.<String>getAs("append_id")).toList();
    }

    /**
     * The points of {@code segments} (see {@link #segments}) among {@code points} (one trial's), one per iteration
     * (the latest segment's), by iteration.
     */
    public static List<Row> assemble(List<Row> points, List<String> segments) {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            order.put(segments.get(i), i);
        }
        TreeMap<Integer, Row> byIteration = new TreeMap<>();
        Map<Integer, Integer> from = new HashMap<>();
        for (Row p : points) {
            Integer segment = order.get(p.<String>getAs("append_id"));
            int iteration = p.getAs("iteration");
            if (segment != null && segment >= from.getOrDefault(iteration, -1)) {
                byIteration.put(iteration, p);
                from.put(iteration, segment);
            }
        }
        return new ArrayList<>(byIteration.values());
    }
}
