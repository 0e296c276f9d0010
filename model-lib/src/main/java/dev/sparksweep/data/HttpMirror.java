package dev.sparksweep.data;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A web server holding the files under {@code baseUri}: {@code <base>/<name>.gz}, or {@code <base>/<name>} where the
 * gzipped copy is absent. Missing-file statuses include 403 because S3 buckets answer that for absent keys.
 */
public record HttpMirror(URI baseUri) implements DataSource {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Per file; generous because the training images are 10 to 47 MB on possibly slow links. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final Set<Integer> ABSENT = Set.of(403, 404, 410);

    public HttpMirror {
        String scheme = baseUri == null || baseUri.getScheme() == null
                ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("an HTTP mirror needs an http(s) URI, got " + baseUri);
        }
    }

    @Override
    public String describe() {
        return baseUri.toString();
    }

    @Override
    public void fetchInto(List<String> fileNames, Path stagingDir, Consumer<String> log) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        for (String name : fileNames) {
            URI gz = fileUri(name + ".gz");
            int status = download(client, gz, stagingDir.resolve(name + ".gz"), log);
            if (ABSENT.contains(status)) {
                URI raw = fileUri(name);
                int rawStatus = download(client, raw, stagingDir.resolve(name), log);
                if (rawStatus != 200) {
                    throw new DataException(describe() + ": HTTP " + status + " for " + gz + " and HTTP "
                            + rawStatus + " for " + raw);
                }
            } else if (status != 200) {
                throw new DataException(describe() + ": HTTP " + status + " for " + gz);
            }
        }
    }

    URI fileUri(String fileName) {
        String base = baseUri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + fileName);
    }

    /** Downloads to {@code target} if the answer is 200; returns the status either way. */
    private int download(HttpClient client, URI uri, Path target, Consumer<String> log) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        long start = System.nanoTime();
        HttpResponse<Path> response;
        try {
            // Error bodies are discarded rather than saved where a file is expected.
            response = client.send(request, info -> info.statusCode() == 200
                    ? BodySubscribers.ofFile(target)
                    : BodySubscribers.replacing(target));
        } catch (HttpConnectTimeoutException e) {
            throw new DataException(describe() + ": unreachable, no connection within " + CONNECT_TIMEOUT.toSeconds()
                    + " s to " + uri.getHost(), e);
        } catch (HttpTimeoutException e) {
            throw new DataException(describe() + ": timed out after " + REQUEST_TIMEOUT.toMinutes()
                    + " min downloading " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(describe() + ": interrupted while downloading " + uri, e);
        } catch (IOException e) {
            throw new DataException(describe() + ": " + failure(e, uri), e);
        }
        if (response.statusCode() == 200) {
            log.accept(String.format("downloaded %s (%,d bytes, %.1f s)", uri, Files.size(target),
                    (System.nanoTime() - start) / 1e9));
        }
        return response.statusCode();
    }

    /**
     * The JDK client reports an unknown host or a refused connection as a chain of channel exceptions, often
     * without messages; name the common cases plainly and otherwise show the chain.
     */
    private static String failure(IOException e, URI uri) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        if (chain.stream().anyMatch(t -> t instanceof UnresolvedAddressException || t instanceof UnknownHostException)) {
            return "unreachable: cannot resolve host " + uri.getHost();
        }
        String causes = chain.stream()
                .map(t -> t.getMessage() == null ? t.getClass().getSimpleName()
                        : t.getClass().getSimpleName() + ": " + t.getMessage())
                .distinct()
                .collect(Collectors.joining(" <- "));
        if (chain.stream().anyMatch(t -> t instanceof ConnectException)) {
            return "unreachable: cannot connect to " + uri.getHost() + ":" + port(uri) + " (" + causes + ")";
        }
        return "failed while downloading " + uri + " (" + causes + ")";
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
