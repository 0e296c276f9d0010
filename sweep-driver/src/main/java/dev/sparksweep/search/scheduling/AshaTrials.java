package dev.sparksweep.search.scheduling;

import dev.sparksweep.search.SpaceExpander;
import dev.sparksweep.search.SweepDefinition;
import dev.sparksweep.search.Trial;
import dev.sparksweep.search.TrialSource;
import dev.sparksweep.search.Work;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ASHA over any source of trials (grid, random, Sobol, TPE): each new trial trains to the first rung; at every rung
 * {@link Asha} promotes it (its next segment continues from the rung's checkpoint, ahead of new trials, higher rungs
 * first) or stops it. A rerun replays the decisions recorded in the leaderboard and resumes promoted trials from their
 * checkpoints. A trial whose checkpoint is missing or unreadable continues from its newest earlier checkpoint that
 * still reads (each rung's is kept until the trial ends), or from scratch without one, said in its rung record.
 * Checkpoints ({@link RungSegments}) are deleted when their trial ends, unless kept. A trial that failed, or whose
 * status {@code --retry} names, starts over at rung 0, its earlier decisions not replayed.
 */
public final class AshaTrials implements TrialSource {

    private final TrialSource newTrials;
    private final Asha asha;
    /** The segments' checkpoints: where each continues from, and when they go. */
    private final RungSegments segments;
    private final PriorityQueue<Work> promoted = new PriorityQueue<>(
            Comparator.comparingInt((Work w) -> w.segment().rung()).reversed());
    /** Completes the seeds of configurations that reach the last rung; null when off (or one seed). */
    private final SeedCompletion seeds;
    private final SweepDefinition sweep;
    private final String checksum;
    /** Finished trials (a stop's final row) that this run continues: their configuration completed on a seed. */
    private final Set<String> reopened = new HashSet<>();
    /** The seeds trained only for finalists (asha.other-seeds = finalists); none when every seed searches. */
    private final FinalistSeeds later;
    /** Trials that completed the last rung in this sweep: their completion is replayed from their records. */
    private final Set<String> completedHere = new HashSet<>();
    /** Trials with a final row (in any sweep). */
    private final Set<String> finishedIds;
    /** A new trial taken from {@code newTrials} while work that goes first was queued (see {@link #next}). */
    private Work freshWaiting;
    /** Work queued since the runner last asked ({@link #drainAdded}). */
    private final List<Work> added = new ArrayList<>();

    /**
     * @param newTrials   the trials not yet started (whole-trial work; their budget is the last rung)
     * @param history     the rung records of this sweep from earlier runs
     * @param finishedIds trials that already have their final row (in any sweep)
     */
    public AshaTrials(SweepDefinition sweep, String checksum, TrialSource newTrials, Rungs rungs, Path checkpoints,
                      boolean keepCheckpoints, SeedPolicy seedPolicy, List<RungRecord> history, Set<String> finishedIds) {
        this.sweep = sweep;
        this.checksum = checksum;
        this.finishedIds = Set.copyOf(finishedIds);
        this.later = new FinalistSeeds(sweep, checksum, seedPolicy.later(), seedPolicy.shared(), finishedIds);
        this.newTrials = newTrials;
        this.asha = new Asha(rungs);
        this.segments = new RungSegments(rungs, checkpoints, keepCheckpoints);
        this.seeds = seedPolicy.complete() > 1 || !seedPolicy.later().isEmpty()
                ? new SeedCompletion(Math.max(1, seedPolicy.complete())) : null;
        replay(new RungHistory(history, this.finishedIds, sweep, checksum), rungs);
    }

    /**
     * Rebuilds the scheduler's state from the rung records of earlier runs: the decisions, the configurations that
     * completed (whose later and stopped seeds go on), the trials under way (resumed from their checkpoints), and the
     * checkpoints of trials that ended (deleted; a stopped seed's once its configuration ended without completing).
     */
    private void replay(RungHistory history, Rungs rungs) {
        later.begun(history.trialIds());
        history.trialIds().stream().flatMap(id -> history.records(id).stream())
                .filter(r -> !later.isLaterSeed(r.configuration()))
                .forEach(r -> asha.record(r.trialId(), r.rung(), r.score(), r.decision()));
        if (seeds != null) {
            for (String id : history.trialIds()) {
                if (history.completed(id)) {
                    completedHere.add(id);
                    seeds.completed(history.trial(id).configId());
                    startLaterSeeds(history.trial(id));
                }
            }
        }
        for (String id : history.trialIds()) {
            RungRecord last = history.last(id);
            boolean finished = history.finished(id);
            if (last.decision() == Asha.Decision.PROMOTED && last.rung() < rungs.last()) {
                // A revived seed has the final row of its stop and is under way again.
                if (!finished || (seeds != null && seeds.completing(history.trial(id).configId()))) {
                    promoted.add(segments.resume(history.trial(id), last.rung(), last.checkpoint()));
                    if (finished) {
                        reopened.add(id);
                    }
                } else if (seeds != null && history.revived(id)) {
                    // Revived for a completion found elsewhere (see completedElsewhere, told after this): it waits.
                    seeds.stopped(history.trial(id), last.rung());
                }
            } else if (seeds != null && last.stoppedForScore() && finished) {
                Trial trial = history.trial(id);
                if (seeds.completing(trial.configId())) {
                    promoted.add(segments.revive(trial, last.rung()));
                    reopened.add(id);
                } else {
                    seeds.stopped(trial, last.rung());
                }
            }
        }
        // What an earlier run released but did not delete: a driver killed after the trial's record was committed.
        history.endedForGood(seeds != null).forEach(segments::deleteCheckpoints);
        if (seeds != null) {
            for (String id : history.trialIds()) {
                // Only the seeds that search decide a configuration; a later seed stopped before the sweep switched
                // to finalists keeps its checkpoint until then.
                RungRecord last = history.last(id);
                if (history.finished(id) && last.decision() != Asha.Decision.PROMOTED
                        && !later.isLaterSeed(last.configuration())) {
                    segments.deleteDecided(seeds.ended(history.trial(id)));
                }
            }
        }
    }

    /** Finished trials this run trains further: seeds a rerun completes because another seed completed. */
    public synchronized Set<String> reopened() {
        return Set.copyOf(reopened);
    }

    /**
     * The run has nothing left to start or wait for: the stopped seeds still kept for a completion that did not
     * come (a seed that failed, or one trained by another sweep, never counted as ended here) are given up.
     */
    @Override
    public synchronized void sweepEnded() {
        if (seeds != null) {
            segments.deleteDecided(seeds.undecided());
        }
    }

    @Override
    public synchronized int remaining() {
        return promoted.size() + (freshWaiting == null ? 0 : 1) + newTrials.remaining();
    }

    /** Its rungs' expectation, and the later seeds a configuration adds when it reaches the last rung. */
    @Override
    public double expectedIterationsPerNewTrial() {
        Rungs rungs = asha.rungs();
        return rungs.expectedIterations() + later.seeds().size() * rungs.shareReachingLast() * rungs.at(rungs.last());
    }

    @Override
    public String laterWork() {
        List<Long> seeds = later.seeds();
        return seeds.isEmpty() ? "" : "then seed" + (seeds.size() == 1 ? " " : "s ")
                + seeds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " of each configuration that completes";
    }

    @Override
    public synchronized Optional<Work> next() {
        Work next = promoted.poll();
        if (next != null) {
            return Optional.of(next);
        }
        if (freshWaiting != null) {
            Work waiting = freshWaiting;
            freshWaiting = null;
            return Optional.of(waiting);
        }
        Optional<Work> fresh = newTrials.next().map(w -> segments.first(w.trial(), null));
        fresh.ifPresent(w -> later.begun(List.of(w.trial().id())));
        // A sampler may adopt trials another sweep trained to their whole budget: configurations completed there,
        // whose seeds go ahead of the new trial.
        newTrials.drainAdoptedComplete().forEach(t -> completedElsewhere(t.id(), t.configuration()));
        if (!promoted.isEmpty()) {
            freshWaiting = fresh.orElse(null);
            return Optional.of(promoted.poll());
        }
        return fresh;
    }

    /**
     * {@code completed} finished the last rung: its configuration's later seeds start now, ahead of new
     * configurations, and are promoted at every rung (the configuration is completing).
     */
    private void startLaterSeeds(Trial completed) {
        for (Work work : later.startFor(completed, segments)) {
            promoted.add(work);
            added.add(work);
        }
    }

    /**
     * A trial of this sweep finished its whole budget without completing the last rung here: another sweep trained it
     * (this one adopted it; it may have begun here and been finished there), or this sweep did before it ran under
     * ASHA. Its configuration has completed the last rung: its stopped seeds continue and its later seeds start, as
     * if it had completed here. Does nothing for a trial that completed here (replayed from its records) or is not
     * finished, a later seed, a row that is not a trial of this sweep as it is now, or when seeds are not completed.
     */
    public synchronized void completedElsewhere(String trialId, Map<String, Object> configuration) {
        if (seeds == null || completedHere.contains(trialId) || !finishedIds.contains(trialId)
                || later.isLaterSeed(configuration)) {
            return;
        }
        Trial trial = SpaceExpander.trial(sweep, configuration, checksum);
        if (!trial.id().equals(trialId) || trial.training().iterations() != asha.rungs().at(asha.rungs().last())) {
            // Not a trial of this sweep as it is now (other data, or another budget than the last rung).
            return;
        }
        revive(seeds.completed(trial.configId()));
        startLaterSeeds(trial);
    }

    /** Stopped seeds of a configuration that completed: each continues from the checkpoint of its rung. */
    private void revive(List<SeedCompletion.Stopped> stopped) {
        for (SeedCompletion.Stopped seed : stopped) {
            Work work = segments.revive(seed.trial(), seed.rung());
            promoted.add(work);
            added.add(work);
            reopened.add(seed.trial().id());
        }
    }

    @Override
    public synchronized int adopted() {
        return newTrials.adopted() + later.adopted();
    }

    @Override
    public synchronized List<Work> drainAdded() {
        List<Work> out = List.copyOf(added);
        added.clear();
        return out;
    }

    @Override
    public synchronized Work.Recorded finished(Work work, TrialResult result) {
        Trial trial = work.trial();
        Work.Segment s = work.segment();
        Optional<Work> retry = segments.retry(work, result);
        if (retry.isPresent()) {
            promoted.add(retry.get());
            return Work.Recorded.SKIP;
        }
        if (result.status() != TrialStatus.OK) {
            asha.decide(trial.id(), s.rung(), Double.NaN);
            ended(work, result);
            return new Work.Recorded(true, result.status().id(), false);
        }
        double score = Double.isNaN(result.finalValidationAccuracy()) ? result.testAccuracy()
                : result.finalValidationAccuracy();
        // A finalist's later seed is promoted outside the rung's population: the rungs compare configurations.
        Asha.Decision decision = seeds != null && seeds.completing(trial.configId())
                ? (later.isLaterSeed(trial.configuration()) ? asha.forceOutside(trial.id(), s.rung())
                : asha.force(trial.id(), s.rung(), score)) : asha.decide(trial.id(), s.rung(), score);
        if (decision == Asha.Decision.PROMOTED) {
            promoted.add(segments.resume(trial, s.rung(), s.checkpointTo()));
            return new Work.Recorded(false, decision.id(), false);
        }
        boolean stopped = decision == Asha.Decision.STOPPED;
        if (seeds != null && stopped) {
            seeds.stopped(trial, s.rung());
        } else if (seeds != null && decision == Asha.Decision.COMPLETED) {
            revive(seeds.completed(trial.configId()));
            startLaterSeeds(trial);
        }
        ended(work, result);
        return new Work.Recorded(true, decision.id(), stopped);
    }

    private void ended(Work work, TrialResult result) {
        newTrials.finished(Work.whole(work.trial()), result);
        if (seeds != null) {
            // The checkpoints of stopped seeds whose configuration ended without completing.
            seeds.ended(work.trial()).forEach(d -> segments.deleteCheckpointsOnceRecorded(work, d.trial()));
            if (result.status() == TrialStatus.OK && work.segment().rung() < asha.rungs().last()) {
                return; // stopped: its checkpoint stays until its configuration is decided
            }
        }
        segments.deleteCheckpointsOnceRecorded(work, work.trial());
    }

    @Override
    public synchronized void recorded(Work work) {
        segments.recorded(work);
    }
}
