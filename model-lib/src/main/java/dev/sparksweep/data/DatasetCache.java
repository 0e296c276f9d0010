package dev.sparksweep.data;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A deliberate per-JVM cache of loaded datasets, so that a Spark executor running many trials reads and verifies
 * the files once rather than once per task. Entries are never evicted: a sweep uses one or two splits.
 *
 * <p>The map holds a {@link FutureTask} rather than the splits: {@code computeIfAbsent} then stays cheap (no
 * seconds-long load under a map lock), concurrent callers for one key wait for a single load, and a failed load
 * is removed so a later call (after {@code fetch-data}, say) can retry.
 */
public final class DatasetCache {

    private record Key(DatasetName name, Path dataDir, SplitSpec spec) {
    }

    private static final ConcurrentMap<Key, FutureTask<DatasetSplits>> LOADS = new ConcurrentHashMap<>();

    private DatasetCache() {
    }

    /** The splits of {@link DatasetLoader#load}, the same instance for equal arguments within this JVM. */
    public static DatasetSplits get(DatasetName name, Path dataDir, SplitSpec spec) {
        Key key = new Key(name, dataDir.toAbsolutePath().normalize(), spec);
        FutureTask<DatasetSplits> load = LOADS.computeIfAbsent(key,
                k -> new FutureTask<>(() -> DatasetLoader.load(k.name(), k.dataDir(), k.spec())));
        load.run(); // no-op unless this caller is the first
        try {
            return load.get();
        } catch (ExecutionException e) {
            LOADS.remove(key, load);
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new DataException("loading " + name + " from " + key.dataDir() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while waiting for " + name + " to load from " + key.dataDir(), e);
        }
    }
}
