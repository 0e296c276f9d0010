package dev.sparksweep.schedule;

import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The trials a killed run left training, and the life of their progress files. A trial that saves its progress first
 * writes its configuration beside its progress checkpoint ({@code <progress dir>/<trial>/configuration.txt}); the
 * driver deletes both once the row that ends the trial is committed, never before, and a run that ends deletes those a
 * driver killed in between left. A rerun of a grid plans the same trials again and finds their progress by id, but a
 * sampler that learns from results (TPE) proposes anew from what finished, so without this record the trials under
 * way at the kill would be lost with their progress and their places in the sweep's count.
 */
public final class InterruptedTrials {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedTrials.class);
    static final String FILE = "configuration.txt";

    private InterruptedTrials() {
    }

    /**
     * Records, beside {@code progressFile}, that {@code trial} is training. Atomic: a reader sees the whole line or
     * none. A failure is logged, not thrown: the trial trains all the same.
     */
    static void mark(Path progressFile, Trial trial) {
        Path target = progressFile.resolveSibling(FILE);
        Path temp = target.resolveSibling("." + FILE + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(temp, Params.encode(trial.configuration()) + "\n");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("trial {}: could not record that it is training ({}): {}", trial.id(), target, e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the warning above says what matters
            }
        }
    }

    /** Deletes the record {@link #mark} wrote beside {@code progressFile}, if any. */
    static void unmark(Path progressFile) throws IOException {
        Files.deleteIfExists(progressFile.resolveSibling(FILE));
    }

    /**
     * On the driver, once the record that ends a trial is committed: deletes its progress checkpoint (unless a later
     * segment of the trial, already training again, saved it past {@code untilIteration}), the record {@link #mark}
     * wrote, and the trial's folder if nothing else is in it. Not earlier, on the executor: a driver killed between
     * the two would leave a rerun with neither the result nor the progress.
     */
    static void ended(Path progressFile, int untilIteration) {
        try {
            if (Files.isRegularFile(progressFile) && iterationOrZero(progressFile) <= untilIteration) {
                Files.deleteIfExists(progressFile);
            }
            unmark(progressFile);
            Path folder = progressFile.getParent();
            if (Files.isDirectory(folder)) {
                try (Stream<Path> left = Files.list(folder)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not delete {} and its record: {}", progressFile, e.toString());
        }
    }

    /**
     * The record of {@code work} is committed: when it ends the trial, its progress goes (kept for a failed trial,
     * whose retry continues from it; and while ASHA goes on with the trial, whose next segment deletes it when it
     * starts past it).
     */
    static void recorded(TrialContext context, Work work, Work.Recorded recorded, TrialResult result) {
        Path progressFile = context.progressFile(work.trial().id());
        if (progressFile != null && recorded.trialEnds() && result.status() != TrialStatus.FAILED) {
            ended(progressFile, work.untilIteration());
        }
    }

    /**
     * At the end of a run, when nothing trains: deletes the progress and records of trials that have their final
     * row, which a driver killed between committing a row and {@link #ended} left (a rerun skips such a trial).
     */
    static void releaseFinished(Path progressDir, Set<String> finished) {
        if (!Files.isDirectory(progressDir)) {
            return;
        }
        try (Stream<Path> trials = Files.list(progressDir)) {
            trials.filter(d -> finished.contains(d.getFileName().toString()))
                    .forEach(d -> ended(d.resolve(TrialContext.PROGRESS_FILE), Integer.MAX_VALUE));
        } catch (IOException e) {
            LOG.warn("could not list {}: {}", progressDir, e.toString());
        }
    }

    /** The iteration a progress checkpoint holds; 0 when it does not read (it is of no use then). */
    private static int iterationOrZero(Path progressFile) {
        try {
            return dev.sparksweep.train.Checkpoint.iterationOf(progressFile);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * The trials of {@code sweep} (as it is now) that a run left training under {@code progressDir}, by id, with
     * their configurations, oldest first; those in {@code known} (finished, or under way by other records) left out.
     * A record that does not read, or names a trial of the sweep as it was before an edit, is logged and skipped.
     */
    public static Map<String, Map<String, Object>> find(Path progressDir, SweepDefinition sweep, String checksum,
                                                        Set<String> known) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        if (!Files.isDirectory(progressDir)) {
            return found;
        }
        List<Path> records = new ArrayList<>();
        try (Stream<Path> trials = Files.list(progressDir)) {
            trials.map(d -> d.resolve(FILE)).filter(Files::isRegularFile).forEach(records::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + progressDir, e);
        }
        records.sort(Comparator.comparing(InterruptedTrials::modified).thenComparing(Path::toString));
        for (Path record : records) {
            String id = record.getParent().getFileName().toString();
            if (known.contains(id)) {
                continue;
            }
            try {
                Map<String, Object> configuration = Params.decode(Files.readString(record).strip());
                Trial trial = SpaceExpander.trial(sweep, configuration, checksum);
                if (trial.id().equals(id)) {
                    found.put(id, trial.configuration());
                } else {
                    LOG.info("{}: a trial of this sweep as it was before an edit (now {}): not continued", record,
                            trial.id());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: not a trial's configuration, so that trial is not continued: {}", record, e.toString());
            }
        }
        return found;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
