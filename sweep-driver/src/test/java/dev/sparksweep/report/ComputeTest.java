package dev.sparksweep.report;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The compute a report says its trials took. */
class ComputeTest {

    private static final StructType SCHEMA = new StructType().add("sweep", DataTypes.StringType)
            .add("wall_seconds", DataTypes.DoubleType).add("own_wall_seconds", DataTypes.DoubleType);

    private static Row row(double wall, Double own) {
        return new GenericRowWithSchema(new Object[]{"s", wall, own}, SCHEMA);
    }

    @Test
    void aTrialsOwnTimeCountsAndAnUnknownOneCountsItsWholeWallTimeNotNaN() {
        // 3600 s trained alone; a continued budget of 7200 s wall of which it trained 1800; one whose inherited time
        // was unknown (stored NaN by older versions, null now); one from before the column.
        List<Row> trials = List.of(row(3600, 3600.0), row(7200, 1800.0), row(900, Double.NaN), row(900, null));
        assertEquals("2.00 h (1.50 h less than training every budget from scratch: longer budgets continued shorter"
                + " ones)", Compute.of(trials, null));
    }
}
