package dev.sparksweep.leaderboard;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies a row read from any file of a table into the table's current layout, by column name: a column the file
 * predates stays null (new hyperparameters), one the table no longer has is dropped. Timestamps that an older Spark
 * wrote as INT96 become INT64 microseconds, as sparksweep writes them.
 */
final class GroupCopier {

    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final MessageType target;
    private final SimpleGroupFactory groups;

    GroupCopier(org.apache.spark.sql.types.StructType schema) {
        this.target = ParquetRowWriter.parquetType(schema);
        this.groups = new SimpleGroupFactory(target);
    }

    Group copy(Group source) {
        Group out = groups.newGroup();
        GroupType from = source.getType();
        for (int i = 0; i < target.getFieldCount(); i++) {
            Type field = target.getType(i);
            String name = field.getName();
            if (!from.containsField(name)) {
                continue;
            }
            int j = from.getFieldIndex(name);
            if (source.getFieldRepetitionCount(j) == 0) {
                continue;
            }
            PrimitiveType.PrimitiveTypeName want = field.asPrimitiveType().getPrimitiveTypeName();
            PrimitiveType.PrimitiveTypeName have = from.getType(j).asPrimitiveType().getPrimitiveTypeName();
            switch (want) {
                case BINARY -> out.add(i, source.getBinary(j, 0));
                case INT32 -> out.add(i, source.getInteger(j, 0));
                case INT64 -> out.add(i, have == PrimitiveType.PrimitiveTypeName.INT96
                        ? micros(source.getInt96(j, 0)) : source.getLong(j, 0));
                case DOUBLE -> out.add(i, source.getDouble(j, 0));
                case BOOLEAN -> out.add(i, source.getBoolean(j, 0));
                default -> throw new IllegalStateException("no copy for column " + name + " of type " + want);
            }
        }
        return out;
    }

    /** An INT96 timestamp (nanoseconds of the day, then the Julian day, little-endian) in epoch microseconds. */
    static long micros(Binary int96) {
        ByteBuffer b = int96.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = b.getLong();
        int julianDay = b.getInt();
        return (julianDay - JULIAN_DAY_OF_EPOCH) * MICROS_PER_DAY + nanosOfDay / 1000;
    }
}
