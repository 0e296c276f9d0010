package dev.sparksweep.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A directory already holding the files, raw or gzipped, such as {@code /usr/share/datasets/fashion-mnist} from the
 * Debian package {@code dataset-fashion-mnist}.
 */
public record LocalDirectory(Path dir) implements DataSource {

    public LocalDirectory {
        if (dir == null) {
            throw new IllegalArgumentException("a local directory source needs a path");
        }
        dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "dir:" + dir;
    }

    @Override
    public void fetchInto(List<String> fileNames, Path stagingDir, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(describe() + ": " + dir + " is not a directory");
        }
        List<String> absent = new ArrayList<>();
        for (String name : fileNames) {
            Optional<Path> file = DatasetManifest.locate(dir, name);
            if (file.isEmpty()) {
                absent.add(name);
                continue;
            }
            Path source = file.get();
            Files.copy(source, stagingDir.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            log.accept("copied " + source);
        }
        if (!absent.isEmpty()) {
            throw new DataException(describe() + ": " + dir + " has no " + String.join(", ", absent)
                    + " (raw or .gz)");
        }
    }
}
