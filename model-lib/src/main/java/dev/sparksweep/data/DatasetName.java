package dev.sparksweep.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The datasets the sweep can train on; {@link #id()} is the name used in configuration and on disk. */
public enum DatasetName {
    MNIST("mnist"),
    FASHION_MNIST("fashion-mnist");

    private final String id;

    DatasetName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Where this dataset's files live under a data root: {@code dataDir/<id>}. */
    public Path directoryIn(Path dataDir) {
        return dataDir.resolve(id);
    }

    /** Accepts the id in any case, surrounding blanks ignored. */
    public static DatasetName parse(String text) {
        if (text != null) {
            String wanted = text.strip().toLowerCase(Locale.ROOT);
            for (DatasetName name : values()) {
                if (name.id.equals(wanted)) {
                    return name;
                }
            }
        }
        String valid = Arrays.stream(values()).map(DatasetName::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown dataset '" + text + "'; valid names: " + valid);
    }

    @Override
    public String toString() {
        return id;
    }
}
