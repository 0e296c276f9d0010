package dev.sparksweep.leaderboard;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Writes rows of a Spark schema to one Parquet file with Parquet's own writer, on the driver, through Hadoop's
 * {@code FileSystem} (so local disks, HDFS and object stores all work). No Spark job runs: a leaderboard row never
 * waits for an executor core that the trials are holding.
 *
 * <p>The files read back in Spark exactly as Spark's own: strings as UTF-8 binaries, timestamps as INT64 microseconds
 * adjusted to UTC, and Spark's schema JSON in the footer under the key Spark itself uses.
 */
final class ParquetRowWriter {

    /** The footer key under which Spark stores a file's Spark schema. */
    private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    private ParquetRowWriter() {
    }

    /** Writes {@code rows} to a new file {@code file}; fails if it exists. */
    static void write(Configuration conf, Path file, StructType schema, List<Row> rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(parquetType(schema));
        try (ParquetWriter<Group> writer = writer(conf, file, schema, Map.of())) {
            for (Row row : rows) {
                writer.write(group(groups.newGroup(), schema, row));
            }
        }
    }

    /** A writer of groups of {@link #parquetType}{@code (schema)} to a new file, with {@code extra} in its footer. */
    static ParquetWriter<Group> writer(Configuration conf, Path file, StructType schema, Map<String, String> extra)
            throws IOException {
        Map<String, String> footer = new java.util.HashMap<>(extra);
        footer.put(SPARK_SCHEMA_KEY, schema.json());
        return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf)).withConf(conf)
                .withType(parquetType(schema)).withExtraMetaData(footer)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build();
    }

    static MessageType parquetType(StructType schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (StructField field : schema.fields()) {
            Repetition repetition = field.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
            DataType t = field.dataType();
            if (t.equals(DataTypes.StringType)) {
                message.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                        .named(field.name());
            } else if (t.equals(DataTypes.IntegerType)) {
                message.primitive(PrimitiveTypeName.INT32, repetition).named(field.name());
            } else if (t.equals(DataTypes.LongType)) {
                message.primitive(PrimitiveTypeName.INT64, repetition).named(field.name());
            } else if (t.equals(DataTypes.DoubleType)) {
                message.primitive(PrimitiveTypeName.DOUBLE, repetition).named(field.name());
            } else if (t.equals(DataTypes.BooleanType)) {
                message.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(field.name());
            } else if (t.equals(DataTypes.TimestampType)) {
                message.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(field.name());
            } else {
                throw new IllegalArgumentException("no Parquet mapping for column " + field.name() + " of type " + t);
            }
        }
        return message.named("spark_schema");
    }

    private static Group group(Group group, StructType schema, Row row) {
        StructField[] fields = schema.fields();
        if (row.length() != fields.length) {
            throw new IllegalArgumentException("a row of " + row.length() + " values for " + fields.length
                    + " columns");
        }
        for (int i = 0; i < fields.length; i++) {
            if (row.isNullAt(i)) {
                if (!fields[i].nullable()) {
                    throw new IllegalArgumentException("column " + fields[i].name() + " cannot be null");
                }
                continue;
            }
            Object value = row.get(i);
            if (value instanceof String s) {
                group.add(i, s);
            } else if (value instanceof Integer n) {
                group.add(i, n);
            } else if (value instanceof Long n) {
                group.add(i, n);
            } else if (value instanceof Double d) {
                group.add(i, d);
            } else if (value instanceof Boolean b) {
                group.add(i, b);
            } else if (value instanceof Timestamp ts) {
                group.add(i, ChronoUnit.MICROS.between(Instant.EPOCH, ts.toInstant()));
            } else {
                throw new IllegalArgumentException("column " + fields[i].name() + ": unexpected "
                        + value.getClass().getSimpleName());
            }
        }
        return group;
    }
}
