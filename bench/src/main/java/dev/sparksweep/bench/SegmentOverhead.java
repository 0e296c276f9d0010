package dev.sparksweep.bench;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What running a trial as ASHA segments costs beyond training, read from a results folder's {@code rungs} table:
 * per segment, its Spark job as the driver timed it ({@code job_seconds}) less its own training and evaluation
 * ({@code segment_seconds}). The difference is the Spark job's scheduling and task launch, data access, building the
 * network, reading and writing checkpoints and shipping the result back. Printed per rung (rung 0 starts from
 * scratch; later rungs read a checkpoint) as medians and the worst segment.
 */
final class SegmentOverhead {

    private SegmentOverhead() {
    }

    /** One rung's segments: their count, medians, and the largest overhead relative to training. */
    record Summary(int rung, int segments, double medianSegmentSeconds, double medianOverheadSeconds,
                   double medianPercent, double maxPercent) {
    }

    static List<Summary> of(SparkSession spark, Path results) {
        List<Row> rows = spark.read().parquet(results.resolve("rungs").toString())
                .where("segment_seconds IS NOT NULL AND job_seconds IS NOT NULL AND status = 'ok'")
                .select("rung", "segment_seconds", "job_seconds").collectAsList();
        Map<Integer, List<double[]>> byRung = new TreeMap<>();
        for (Row r : rows) {
            byRung.computeIfAbsent(r.getInt(0), k -> new ArrayList<>())
                    .add(new double[]{r.getDouble(1), r.getDouble(2) - r.getDouble(1)});
        }
        List<Summary> out = new ArrayList<>();
        byRung.forEach((rung, segments) -> out.add(new Summary(rung, segments.size(),
                median(segments.stream().map(s -> s[0]).toList()), median(segments.stream().map(s -> s[1]).toList()),
                median(segments.stream().map(s -> 100 * s[1] / s[0]).toList()),
                segments.stream().mapToDouble(s -> 100 * s[1] / s[0]).max().orElse(Double.NaN))));
        return out;
    }

    static void print(String title, List<Summary> summaries) {
        System.out.println(title);
        System.out.printf("  %4s %8s %16s %17s %10s %10s%n", "rung", "segments", "median train s",
                "median overhead s", "median %", "worst %");
        for (Summary s : summaries) {
            System.out.printf(Locale.ROOT, "  %4d %8d %16.2f %17.3f %10.2f %10.2f%n", s.rung(), s.segments(),
                    s.medianSegmentSeconds(), s.medianOverheadSeconds(), s.medianPercent(), s.maxPercent());
        }
    }

    private static double median(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
