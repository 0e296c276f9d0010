package dev.sparksweep.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DataFetcher#ensure} did: where the dataset now is, which source completed it (or
 * {@value #ALREADY_PRESENT}), and every source tried on the way with what happened.
 */
public record FetchReport(DatasetName dataset, Path dir, String source, List<Attempt> attempts) {

    public static final String ALREADY_PRESENT = "already present";

    /** One source tried: {@code detail} is the reason it failed, or what it delivered. */
    public record Attempt(String source, boolean succeeded, String detail) {
    }

    public FetchReport {
        attempts = List.copyOf(attempts);
    }

    public boolean alreadyPresent() {
        return ALREADY_PRESENT.equals(source);
    }
}
