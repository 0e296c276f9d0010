package dev.sparksweep.schedule;

import java.io.Serializable;
import java.util.List;

/**
 * What an executor needs besides the trial itself: where the data lives and where to fetch it from if missing.
 * Paths travel as strings because {@link java.nio.file.Path} is not serializable.
 */
public record TrialContext(String dataDir, List<String> dataSources, String sparkVersion) implements Serializable {

    public TrialContext {
        dataSources = List.copyOf(dataSources);
    }
}
