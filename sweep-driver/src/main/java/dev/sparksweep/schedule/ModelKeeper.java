package dev.sparksweep.schedule;

import dev.sparksweep.leaderboard.LeaderboardStore;
import dev.sparksweep.leaderboard.SweepHistory;
import dev.sparksweep.leaderboard.TrialOutcome;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.search.SaveModels;
import dev.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * On the driver, decides which saved networks a sweep keeps as its trials finish: all of them, or the best k by final
 * validation accuracy (test accuracy where there is none), deleting a model as soon as k better ones exist. A rerun
 * starts from the models the leaderboard's rows name that are still on disk.
 */
final class ModelKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(ModelKeeper.class);

    /** A kept model: whose, where, and how good. */
    record Kept(String trialId, String path, double score) {
    }

    private final SaveModels policy;
    private final List<Kept> kept = new ArrayList<>();
    /** Models no longer kept, deleted by {@link #deleteEvicted}. */
    private final List<Kept> evicted = new ArrayList<>();

    /**
     * @param existing models saved by earlier runs of this sweep, oldest row first (those whose files are gone are
     *                 ignored). A trial trained again ({@code --retry}) has a row per attempt naming the same file:
     *                 its latest row is the one that counts.
     */
    ModelKeeper(SaveModels policy, List<Kept> existing) {
        this.policy = policy;
        Map<String, Kept> latest = new LinkedHashMap<>();
        existing.forEach(k -> latest.put(k.trialId(), k));
        latest.values().stream().filter(k -> Files.isRegularFile(Path.of(k.path()))).forEach(kept::add);
        evictBeyondK();
        deleteEvicted(); // what ranked them is committed already
    }

    /** The keeper of {@code sweep}'s models under {@code context}'s policy, from those earlier runs kept. */
    static ModelKeeper of(LeaderboardStore store, String sweep, TrialContext context) {
        List<Kept> existing = new ArrayList<>();
        if (context.modelsDir() != null) {
            for (Row r : new SweepHistory(store, sweep).savedModels()) {
                double validation = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
                double test = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
                double score = !Double.isNaN(validation) ? validation
                        : Double.isNaN(test) ? Double.NEGATIVE_INFINITY : test;
                existing.add(new Kept(r.getString(0), r.getString(1), score));
            }
        }
        return new ModelKeeper(context.saveModels(), existing);
    }

    /** The score a model is ranked by. */
    static double score(TrialResult r) {
        double v = Double.isNaN(r.finalValidationAccuracy()) ? r.testAccuracy() : r.finalValidationAccuracy();
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /**
     * {@code outcome} with its model path if its model is kept, without it if not. The models it displaces (and its
     * own, if not kept) are deleted by {@link #deleteEvicted} once its row is committed: a driver killed before then
     * leaves a rerun that ranks them again from the rows it finds.
     */
    synchronized TrialOutcome keep(TrialOutcome outcome) {
        if (outcome.modelPath() == null) {
            return outcome;
        }
        return keep(new Kept(outcome.trial().id(), outcome.modelPath(), score(outcome.result()))) ? outcome
                : outcome.withModelPath(null);
    }

    /** Ranks a newly saved model among the kept ones; whether it is kept (see {@link #keep(TrialOutcome)}). */
    synchronized boolean keep(Kept added) {
        kept.removeIf(k -> k.trialId().equals(added.trialId())); // retrained: the new file replaced the old
        kept.add(added);
        evictBeyondK();
        return kept.contains(added);
    }

    /** The models kept now, best first. */
    synchronized List<Kept> kept() {
        return kept.stream().sorted(Comparator.comparingDouble(Kept::score).reversed()).toList();
    }

    private void evictBeyondK() {
        if (policy.mode() != SaveModels.Mode.BEST_K) {
            return;
        }
        // Best first; among equals the earlier one stays (it was kept first).
        List<Kept> ranked = kept();
        for (Kept k : ranked.subList(Math.min(policy.bestK(), ranked.size()), ranked.size())) {
            kept.remove(k);
            evicted.add(k);
        }
    }

    /** Deletes the models evicted so far, except a file a kept entry still names (a trial trained again). */
    synchronized void deleteEvicted() {
        for (Kept k : evicted) {
            if (kept.stream().noneMatch(other -> other.path().equals(k.path()))) {
                delete(Path.of(k.path()));
                LOG.info("model of trial {} deleted: {} better ones are kept (save-models = best-k, best-k = {})",
                        k.trialId(), policy.bestK(), policy.bestK());
            }
        }
        evicted.clear();
    }

    private static void delete(Path model) {
        try {
            Files.deleteIfExists(model);
            Files.deleteIfExists(SavedModel.cardOf(model));
        } catch (IOException e) {
            LOG.warn("could not delete the model {}: {}", model, e.toString());
        }
    }
}
