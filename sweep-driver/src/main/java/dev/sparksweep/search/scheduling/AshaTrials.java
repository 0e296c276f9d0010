package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * ASHA over any source of trials (grid, random, Sobol, TPE): each new trial trains to the first rung; at every rung
 * {@link Asha} promotes it (its next segment continues from the rung's checkpoint, ahead of new trials, higher rungs
 * first) or stops it. A rerun replays the decisions recorded in the leaderboard and resumes promoted trials from their
 * checkpoints. A trial whose checkpoint is missing or unreadable continues from its newest earlier checkpoint that
 * still reads (each rung's is kept until the trial ends), or from scratch without one, said in its rung record.
 * Checkpoints live under {@code <out>/checkpoints/<sweep>/<trial>/rung-k.ckpt} and are deleted when their trial ends,
 * unless kept.
 */
public final class AshaTrials implements TrialSource {

    private static final Logger LOG = LoggerFactory.getLogger(AshaTrials.class);

    private final TrialSource newTrials;
    private final Asha asha;
    private final Path checkpoints;
    private final boolean keepCheckpoints;
    private final PriorityQueue<Work> promoted = new PriorityQueue<>(
            Comparator.comparingInt((Work w) -> w.segment().rung()).reversed());
    /** Checkpoints a segment failed to continue from: never tried again in this run. */
    private final Set<String> unreadable = new HashSet<>();
    /** Completes the seeds of configurations that reach the last rung; null when off (or one seed). */
    private final SeedCompletion seeds;
    /** Finished trials (a stop's final row) that this run continues: their configuration completed on a seed. */
    private final Set<String> reopened = new HashSet<>();
    private final SweepDefinition sweep;
    private final String checksum;
    /** Seeds trained only for configurations that complete the last rung (asha.other-seeds = finalists). */
    private final List<Long> laterSeeds;
    /** Trials that have begun (rung records or a final row, in any run): a later seed is never started twice. */
    private final Set<String> started = new HashSet<>();

    /**
     * @param newTrials   the trials not yet started (whole-trial work; their budget is the last rung)
     * @param history     the rung records of this sweep from earlier runs
     * @param finishedIds trials that already have their final row
     */
    public AshaTrials(SweepDefinition sweep, String checksum, TrialSource newTrials, Rungs rungs, Path checkpoints,
                      boolean keepCheckpoints, List<RungRecord> history, Set<String> finishedIds) {
        this(sweep, checksum, newTrials, rungs, checkpoints, keepCheckpoints, 0, history, finishedIds);
    }

    /**
     * @param completeSeeds the seeds each configuration runs on, all of which are completed once one completes the
     *                      last rung ({@link SeedCompletion}); 0 or 1 for plain ASHA
     */
    public AshaTrials(SweepDefinition sweep, String checksum, TrialSource newTrials, Rungs rungs, Path checkpoints,
                      boolean keepCheckpoints, int completeSeeds, List<RungRecord> history,
                      Set<String> finishedIds) {
        this(sweep, checksum, newTrials, rungs, checkpoints, keepCheckpoints, completeSeeds, List.of(), history,
                finishedIds);
    }

    /**
     * @param laterSeeds seeds that {@code newTrials} leaves out, trained (through every rung, promoted at each) only
     *                   for configurations that complete the last rung ({@code asha.other-seeds = finalists}); then
     *                   {@code completeSeeds} counts the seeds the search itself runs on
     */
    public AshaTrials(SweepDefinition sweep, String checksum, TrialSource newTrials, Rungs rungs, Path checkpoints,
                      boolean keepCheckpoints, int completeSeeds, List<Long> laterSeeds, List<RungRecord> history,
                      Set<String> finishedIds) {
        this.sweep = sweep;
        this.checksum = checksum;
        this.laterSeeds = List.copyOf(laterSeeds);
        this.started.addAll(finishedIds);
        history.forEach(r -> started.add(r.trialId()));
        this.newTrials = newTrials;
        this.asha = new Asha(rungs);
        this.checkpoints = checkpoints;
        this.keepCheckpoints = keepCheckpoints;
        this.seeds = completeSeeds > 1 || !laterSeeds.isEmpty() ? new SeedCompletion(Math.max(1, completeSeeds))
                : null;
        Map<String, TreeMap<Integer, RungRecord>> byTrial = new HashMap<>();
        for (RungRecord r : history) {
            asha.record(r.trialId(), r.rung(), r.score(), r.decision());
            byTrial.computeIfAbsent(r.trialId(), k -> new TreeMap<>()).put(r.rung(), r);
        }
        // Trials are rebuilt from their configurations only where needed (an old record need not build today).
        Map<String, Trial> trials = new HashMap<>();
        java.util.function.Function<String, Trial> trialOf = id -> trials.computeIfAbsent(id, k -> SpaceExpander
                .trial(sweep, byTrial.get(k).lastEntry().getValue().configuration(), checksum));
        if (seeds != null) {
            byTrial.forEach((id, records) -> {
                if (records.values().stream().anyMatch(r -> r.decision() == Asha.Decision.COMPLETED)) {
                    seeds.completed(trialOf.apply(id).configId());
                    startLaterSeeds(trialOf.apply(id));
                }
            });
        }
        for (var e : byTrial.entrySet()) {
            String id = e.getKey();
            RungRecord last = e.getValue().lastEntry().getValue();
            boolean finished = finishedIds.contains(id);
            if (last.decision() == Asha.Decision.PROMOTED && last.rung() < rungs.last()) {
                // A revived seed has the final row of its stop and is under way again.
                if (!finished || (seeds != null && seeds.completing(trialOf.apply(id).configId()))) {
                    promoted.add(resume(trialOf.apply(id), last.rung(), last.checkpoint()));
                    if (finished) {
                        reopened.add(id);
                    }
                }
            } else if (seeds != null && stoppedByAsha(last) && finished) {
                Trial trial = trialOf.apply(id);
                if (seeds.completing(trial.configId())) {
                    promoted.add(revive(trial, last.rung()));
                    reopened.add(id);
                } else {
                    seeds.stopped(trial, last.rung());
                }
            }
        }
        if (seeds != null) {
            byTrial.forEach((id, records) -> {
                if (finishedIds.contains(id) && records.lastEntry().getValue().decision() != Asha.Decision.PROMOTED) {
                    deleteDecided(seeds.ended(trialOf.apply(id)));
                }
            });
        }
    }

    /** Finished trials this run trains further: seeds a rerun completes because another seed completed. */
    public Set<String> reopened() {
        return Set.copyOf(reopened);
    }

    /**
     * The run has nothing left to start or wait for: the stopped seeds still kept for a completion that did not
     * come (a seed that failed, or one trained by another sweep, never counted as ended here) are given up.
     */
    @Override
    public synchronized void sweepEnded() {
        if (seeds != null) {
            deleteDecided(seeds.undecided());
        }
    }

    /** Stopped for its score at a rung (rather than ended by a failure, which scores NaN). */
    private static boolean stoppedByAsha(RungRecord r) {
        return r.decision() == Asha.Decision.STOPPED && !Double.isNaN(r.score());
    }

    /**
     * The trials of this sweep that are under way (have rung records but no final row), with their configurations:
     * not to start anew.
     */
    public static Map<String, Map<String, Object>> underWay(List<RungRecord> history, Set<String> finishedIds) {
        Map<String, Map<String, Object>> trials = new java.util.LinkedHashMap<>();
        history.stream().filter(r -> !finishedIds.contains(r.trialId()))
                .forEach(r -> trials.put(r.trialId(), r.configuration()));
        return trials;
    }

    @Override
    public synchronized int remaining() {
        return promoted.size() + newTrials.remaining();
    }

    @Override
    public synchronized Optional<Work> next() {
        Work next = promoted.poll();
        if (next != null) {
            return Optional.of(next);
        }
        Optional<Work> fresh = newTrials.next();
        fresh.ifPresent(w -> started.add(w.trial().id()));
        return fresh.map(w -> segment(w.trial(), 0, 0, null, null));
    }

    /**
     * {@code completed} finished the last rung: its configuration's later seeds that have not begun start now, ahead of
     * new configurations, and are promoted at every rung (the configuration is completing).
     */
    private void startLaterSeeds(Trial completed) {
        for (long seed : laterSeeds) {
            Map<String, Object> c = new java.util.LinkedHashMap<>(completed.configuration());
            c.put("seed", seed);
            Trial trial = SpaceExpander.trial(sweep, c, checksum);
            if (started.add(trial.id())) {
                String note = "started because its configuration completed the last rung on seed "
                        + completed.configuration().get("seed");
                LOG.info("trial {}: {}", trial.id(), note);
                promoted.add(segment(trial, 0, 0, null, note));
            }
        }
    }

    @Override
    public synchronized Work.Recorded finished(Work work, TrialResult result) {
        Trial trial = work.trial();
        Work.Segment s = work.segment();
        if (result.status() == TrialStatus.FAILED && s.resumeFrom() != null && unreadable.add(s.resumeFrom())) {
            // The checkpoint could not be read (or the segment failed from it): train this segment again from an
            // earlier checkpoint or from scratch, and say so in its record. Each retry gives up one more checkpoint,
            // so a trial that fails for another reason ends, failed, after at most one retry per kept checkpoint.
            String why = "the checkpoint " + s.resumeFrom() + " failed: " + result.error();
            LOG.warn("trial {}: {}", trial.id(), why);
            promoted.add(fallback(trial, s.rung(), why));
            return Work.Recorded.SKIP;
        }
        if (result.status() != TrialStatus.OK) {
            asha.decide(trial.id(), s.rung(), Double.NaN);
            ended(work, result);
            return new Work.Recorded(true, result.status().id(), false);
        }
        double score = Double.isNaN(result.finalValidationAccuracy()) ? result.testAccuracy()
                : result.finalValidationAccuracy();
        Asha.Decision decision = seeds != null && seeds.completing(trial.configId())
                ? asha.force(trial.id(), s.rung(), score) : asha.decide(trial.id(), s.rung(), score);
        if (decision == Asha.Decision.PROMOTED) {
            promoted.add(resume(trial, s.rung(), s.checkpointTo()));
            return new Work.Recorded(false, decision.id(), false);
        }
        boolean stopped = decision == Asha.Decision.STOPPED;
        if (seeds != null && stopped) {
            seeds.stopped(trial, s.rung());
        } else if (seeds != null && decision == Asha.Decision.COMPLETED) {
            for (SeedCompletion.Stopped seed : seeds.completed(trial.configId())) {
                promoted.add(revive(seed.trial(), seed.rung()));
            }
            startLaterSeeds(trial);
        }
        ended(work, result);
        return new Work.Recorded(true, decision.id(), stopped);
    }

    private void ended(Work work, TrialResult result) {
        newTrials.finished(Work.whole(work.trial()), result);
        if (seeds != null) {
            deleteDecided(seeds.ended(work.trial()));
            if (result.status() == TrialStatus.OK && work.segment().rung() < asha.rungs().last()) {
                return; // stopped: its checkpoint stays until its configuration is decided
            }
        }
        if (!keepCheckpoints) {
            delete(checkpoints.resolve(work.trial().id()));
        }
    }

    /** Deletes the checkpoints of stopped seeds whose configuration ended without completing. */
    private void deleteDecided(List<SeedCompletion.Stopped> decided) {
        if (!keepCheckpoints) {
            decided.forEach(d -> delete(checkpoints.resolve(d.trial().id())));
        }
    }

    /** The segment that continues a seed ASHA stopped at {@code rung}: another seed of its configuration completed. */
    private Work revive(Trial trial, int rung) {
        String note = "continued after its stop at rung " + rung + ": another seed of its configuration completed"
                + " the last rung";
        Path checkpoint = checkpoint(trial, rung);
        if (!Files.isRegularFile(checkpoint)) {
            return fallback(trial, rung + 1, note + "; the checkpoint of rung " + rung + " (" + checkpoint
                    + ") is missing");
        }
        LOG.info("trial {}: {}", trial.id(), note);
        return segment(trial, rung + 1, asha.rungs().at(rung), checkpoint.toString(), note);
    }

    /** The segment that continues a trial promoted at {@code rung} from its checkpoint (or, without one, see below). */
    private Work resume(Trial trial, int rung, String checkpoint) {
        if (checkpoint == null || !Files.isRegularFile(Path.of(checkpoint))) {
            return fallback(trial, rung + 1, "the checkpoint of rung " + rung + " ("
                    + (checkpoint == null ? "none recorded" : checkpoint) + ") is missing");
        }
        return segment(trial, rung + 1, asha.rungs().at(rung), checkpoint, null);
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
                return segment(trial, rung, asha.rungs().at(r), earlier.toString(), note);
            }
        }
        String note = "restarted from scratch: " + why;
        LOG.warn("trial {}: {}", trial.id(), note);
        return segment(trial, rung, 0, null, note);
    }

    private Work segment(Trial trial, int rung, int from, String resumeFrom, String note) {
        Rungs rungs = asha.rungs();
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
