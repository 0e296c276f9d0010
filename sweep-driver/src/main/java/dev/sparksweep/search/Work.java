package dev.sparksweep.search;

import java.io.Serializable;

/**
 * One unit a sweep hands to an executor: a whole trial, or (under ASHA) one segment of it.
 *
 * @param segment null for the whole budget in one go
 */
public record Work(Trial trial, Segment segment) implements Serializable {

    /**
     * A stretch of a trial's training: from a checkpoint (or from scratch) to a rung.
     *
     * @param rung           the rung it trains to
     * @param fromIteration  where it starts: 0, or the iteration of the checkpoint it resumes from
     * @param untilIteration the rung's iteration count
     * @param resumeFrom     the checkpoint to continue from; null to start from scratch
     * @param checkpointTo   where to write the checkpoint at the rung; null for none (the last rung)
     * @param note           why it starts where it does, when that is not the obvious (a restart after a lost
     *                       checkpoint); null otherwise
     */
    public record Segment(int rung, int fromIteration, int untilIteration, String resumeFrom, String checkpointTo,
                          String note) implements Serializable {
    }

    public static Work whole(Trial trial) {
        return new Work(trial, null);
    }

    /** Unique among a sweep's work: the trial id, and the rung for a segment. */
    public String id() {
        return segment == null ? trial.id() : trial.id() + "-r" + segment.rung();
    }

    /** For the progress line. */
    public String label() {
        return trial.model().describe() + (segment == null ? "" : " r" + segment.rung());
    }

    /** Iterations this work trains. */
    public int iterations() {
        return segment == null ? trial.training().iterations() : segment.untilIteration() - segment.fromIteration();
    }

    /**
     * What becomes of a finished piece of work.
     *
     * @param trialEnds whether the trial's leaderboard row is written now (its last piece of work)
     * @param decision  the scheduler's decision at a segment's rung (promoted, stopped, completed); null for a whole
     *                  trial
     * @param stopped   whether the scheduler stopped the trial here (its row then has status stopped)
     */
    public record Recorded(boolean trialEnds, String decision, boolean stopped) {
        public static final Recorded WHOLE = new Recorded(true, null, false);
        /** Nothing to write: the work is done again (a segment whose checkpoint could not be read). */
        public static final Recorded SKIP = new Recorded(false, "skip", false);
    }
}
