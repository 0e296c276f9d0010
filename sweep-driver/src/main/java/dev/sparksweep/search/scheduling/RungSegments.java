package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.Trial;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The segments ASHA runs and the checkpoints between them: where a segment continues from (its rung's checkpoint, an
 * earlier one that still reads when that one is lost, or scratch), where it writes its own, and when a trial's
 * checkpoints go. Checkpoints live under {@code <out>/checkpoints/<sweep>/<trial>/rung-k.ckpt}.
 */
final class RungSegments {

    private static final Logger LOG = LoggerFactory.getLogger(RungSegments.class);

    private final Rungs rungs;
    private final Path checkpoints;
    private final boolean keepCheckpoints;
    /** Checkpoints a segment failed to continue from: never tried again in this run. */
    private final Set<String> unreadable = new HashSet<>();
    /** Trials whose checkpoints go once the record of the work (by id) that ended them is committed. */
    private final Map<String, List<Trial>> deleteOnceRecorded = new HashMap<>();

    RungSegments(Rungs rungs, Path checkpoints, boolean keepCheckpoints) {
        this.rungs = rungs;
        this.checkpoints = checkpoints;
        this.keepCheckpoints = keepCheckpoints;
    }

    /** A trial's first segment, from scratch to rung 0. */
    Work first(Trial trial, String note) {
        return segment(trial, 0, 0, null, note);
    }

    /**
     * The segment that trains {@code work}'s segment again when it failed continuing from a checkpoint (unreadable,
     * or the segment failed from it): from an earlier checkpoint or from scratch, said in its record. Empty when it
     * did not fail, started from scratch, or its checkpoint was given up already: each retry gives up one more
     * checkpoint, so a trial that fails for another reason ends, failed, after at most one retry per kept checkpoint.
     */
    Optional<Work> retry(Work work, TrialResult result) {
        String from = work.segment().resumeFrom();
        if (result.status() != TrialStatus.FAILED || from == null || !unreadable.add(from)) {
            return Optional.empty();
        }
        String why = "the checkpoint " + from + " failed: " + result.error();
        LOG.warn("trial {}: {}", work.trial().id(), why);
        return Optional.of(fallback(work.trial(), work.segment().rung(), why));
    }

    /**
     * Deletes a trial's checkpoints once the record of {@code work} is committed ({@link #recorded}), unless they are
     * kept ({@code asha.keep-checkpoints}). Not at once: a driver killed between the decision and the commit would
     * leave a rerun that replays the trial as still promoted, with its checkpoint gone, to train it again from scratch.
     */
    void deleteCheckpointsOnceRecorded(Work work, Trial trial) {
        if (!keepCheckpoints) {
            deleteOnceRecorded.computeIfAbsent(work.id(), k -> new ArrayList<>()).add(trial);
        }
    }

    /** Deletes a trial's checkpoints now, unless they are kept: what released them is committed already. */
    void deleteCheckpoints(String trialId) {
        if (!keepCheckpoints) {
            delete(checkpoints.resolve(trialId));
        }
    }

    /** Deletes the checkpoints of stopped seeds whose configuration ended without completing (recorded already). */
    void deleteDecided(List<SeedCompletion.Stopped> decided) {
        decided.forEach(d -> deleteCheckpoints(d.trial().id()));
    }

    /** The record of {@code work} is committed: deletes the checkpoints its end released. */
    void recorded(Work work) {
        List<Trial> released = deleteOnceRecorded.remove(work.id());
        if (released != null) {
            released.forEach(t -> delete(checkpoints.resolve(t.id())));
        }
    }

    /** The segment that continues a seed ASHA stopped at {@code rung}: another seed of its configuration completed. */
    Work revive(Trial trial, int rung) {
        String note = "continued after its stop at rung " + rung + ": another seed of its configuration completed"
                + " the last rung";
        Path checkpoint = checkpoint(trial, rung);
        if (!Files.isRegularFile(checkpoint)) {
            return fallback(trial, rung + 1, note + "; the checkpoint of rung " + rung + " (" + checkpoint
                    + ") is missing");
        }
        LOG.info("trial {}: {}", trial.id(), note);
        return segment(trial, rung + 1, rungs.at(rung), checkpoint.toString(), note);
    }

    /** The segment that continues a trial promoted at {@code rung} from its checkpoint (or, without one, see below). */
    Work resume(Trial trial, int rung, String checkpoint) {
        if (checkpoint == null || !Files.isRegularFile(Path.of(checkpoint))) {
            return fallback(trial, rung + 1, "the checkpoint of rung " + rung + " ("
                    + (checkpoint == null ? "none recorded" : checkpoint) + ") is missing");
        }
        return segment(trial, rung + 1, rungs.at(rung), checkpoint, null);
    }

    /**
     * The segment to {@code rung} when the checkpoint it should continue from is lost: from the newest earlier
     * checkpoint of the trial not yet found unreadable, or from scratch.
     */
    private Work fallback(Trial trial, int rung, String why) {
        for (int r = rung - 2; r >= 0; r--) {
            Path earlier = checkpoint(trial, r);
            if (Files.isRegularFile(earlier) && !unreadable.contains(earlier.toString())) {
                String note = "continued from the checkpoint of rung " + r + ": " + why;
                LOG.warn("trial {}: {}", trial.id(), note);
                return segment(trial, rung, rungs.at(r), earlier.toString(), note);
            }
        }
        String note = "restarted from scratch: " + why;
        LOG.warn("trial {}: {}", trial.id(), note);
        return segment(trial, rung, 0, null, note);
    }

    private Work segment(Trial trial, int rung, int from, String resumeFrom, String note) {
        String checkpointTo = rung == rungs.last() ? null : checkpoint(trial, rung).toString();
        return new Work(trial, new Work.Segment(rung, from, rungs.at(rung), resumeFrom, checkpointTo, note));
    }

    private Path checkpoint(Trial trial, int rung) {
        return checkpoints.resolve(trial.id()).resolve("rung-" + rung + ".ckpt");
    }

    private static void delete(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("could not delete the checkpoints in {}: {}", dir, e.toString());
        }
    }
}
