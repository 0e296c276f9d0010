package dev.sparksweep.schedule;

import java.io.Serializable;
import java.util.List;

/**
 * What an executor needs besides the trial itself: where the data lives and where to fetch it from if missing, the
 * trial's time limit and how to check its GPU. Paths travel as strings because {@link java.nio.file.Path} is not
 * serializable.
 *
 * @param timeLimitSeconds wall time a trial may train, 0 for none
 */
public record TrialContext(String dataDir, List<String> dataSources, String sparkVersion, long timeLimitSeconds,
                           String nvidiaSmi) implements Serializable {

    public TrialContext {
        dataSources = List.copyOf(dataSources);
    }

    public TrialContext(String dataDir, List<String> dataSources, String sparkVersion) {
        this(dataDir, dataSources, sparkVersion, 0, "nvidia-smi");
    }
}
