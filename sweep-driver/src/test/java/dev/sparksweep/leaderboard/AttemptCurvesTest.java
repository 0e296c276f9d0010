package dev.sparksweep.leaderboard;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which points are one row's curve: every segment of the ASHA attempt it ends, restarts and retries considered. */
class AttemptCurvesTest {

    private static final StructType RUNG = new StructType().add("sweep", DataTypes.StringType)
            .add("rung", DataTypes.IntegerType).add("append_id", DataTypes.StringType)
            .add("finished_at", DataTypes.TimestampType);
    private static final StructType POINT = new StructType().add("append_id", DataTypes.StringType)
            .add("iteration", DataTypes.IntegerType).add("loss", DataTypes.DoubleType);

    private static Row rung(String sweep, int rung, String append, long at) {
        return new GenericRowWithSchema(new Object[]{sweep, rung, append, new Timestamp(at)}, RUNG);
    }

    /** A segment's new points, every 10 iterations in (from, until], each loss naming the segment. */
    private static List<Row> points(String append, int from, int until, double loss) {
        List<Row> out = new ArrayList<>();
        for (int i = from + 10; i <= until; i += 10) {
            out.add(new GenericRowWithSchema(new Object[]{append, i, loss}, POINT));
        }
        return out;
    }

    @Test
    void aRowsCurveIsEverySegmentOfItsAttemptTheLatestWinningWhereOneTrainedAgain() {
        // A first attempt (rungs 0 and 1) that failed at rung 2; --retry trained it again: rung 0, rung 1, then rung 2
        // restarted from scratch (rung 1's checkpoint lost), so it trained 1..90 again. Another sweep's rows too.
        List<Row> rungs = List.of(rung("s", 0, "a0", 1), rung("s", 1, "a1", 2), rung("s", 2, "a2", 3),
                rung("s", 0, "b0", 4), rung("s", 1, "b1", 5), rung("s", 2, "b2", 6), rung("other", 0, "o0", 5));
        List<Row> points = new ArrayList<>();
        points.addAll(points("a0", 0, 10, 1.0));
        points.addAll(points("a1", 10, 30, 1.1));
        points.addAll(points("b0", 0, 10, 2.0));
        points.addAll(points("b1", 10, 30, 2.1));
        points.addAll(points("b2", 0, 90, 2.2));
        points.addAll(points("o0", 0, 10, 9.0));

        assertEquals(List.of("b0", "b1", "b2"), AttemptCurves.segments(rungs, "b2"));
        List<Row> curve = AttemptCurves.assemble(points, AttemptCurves.segments(rungs, "b2"));
        assertEquals(9, curve.size(), "one point per evaluation, 10..90");
        for (int i = 0; i < 9; i++) {
            assertEquals(10 * (i + 1), curve.get(i).<Integer>getAs("iteration"));
            assertEquals(2.2, curve.get(i).<Double>getAs("loss"), "the segment that restarted from scratch wins");
        }
        // The first attempt's stop row (had there been one at rung 1) is its own curve; a trial trained whole is its
        // row's commit alone.
        assertEquals(List.of("a0", "a1"), AttemptCurves.segments(rungs, "a1"));
        assertEquals(List.of(10, 20, 30), AttemptCurves.assemble(points, AttemptCurves.segments(rungs, "a1")).stream()
                .map(p -> p.<Integer>getAs("iteration")).toList());
        assertEquals(List.of("whole"), AttemptCurves.segments(rungs, "whole"));
    }
}
