package dev.sparksweep.refit;

import org.apache.spark.sql.Row;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Naming and recording refits. */
public final class Refits {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Refits() {
    }

    /** A new refit's id: its configuration and when, e.g. {@code 3f2a9c1e-20261129-061502-a41c}. */
    public static String modelId(RefitSource source) {
        String config = source.configId() == null ? "config" : source.configId();
        // The random part keeps two refits started in the same second apart.
        return config.substring(0, Math.min(8, config.length())) + "-"
                + LocalDateTime.now(ZoneOffset.UTC).format(STAMP) + "-"
                + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }

    /** The {@code models} row recording {@code outcome}. */
    public static Row row(RefitOutcome outcome, String sparkVersion) {
        return ModelRows.row(outcome, sparkVersion);
    }
}
