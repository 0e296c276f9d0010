package dev.sparksweep.search;

import java.io.Serializable;

/**
 * One unit a sweep hands to an executor: a whole trial, (under ASHA) one segment of it, or a whole trial that
 * continues a shorter budget of the same configuration ({@link Continuation}).
 *
 * @param segment      null for the whole budget in one go
 * @param continuation null for a whole trial that neither continues another trial nor is continued by one
 */
public record Work(Trial trial, Segment segment, Continuation continuation) implements Serializable {

    public Work {
        if (segment != null && continuation != null) {
            throw new IllegalArgumentException("an ASHA segment does not continue another trial's budget");
        }
    }

    /** An ASHA segment of {@code trial}. */
    public Work(Trial trial, Segment segment) {
        this(trial, segment, null);
    }

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

    /**
     * A whole trial in a chain of budgets of one configuration: it starts from the final checkpoint of a shorter
     * budget (its first {@code fromIteration} iterations are that trial's, exactly), and writes its own final
     * checkpoint for a longer budget to continue.
     *
     * @param fromTrialId   the shorter-budget trial it continues; null when it starts from scratch
     * @param fromIteration that trial's budget, where this one starts; 0 from scratch
     * @param resumeFrom    that trial's final checkpoint; null from scratch
     * @param checkpointTo  where to write this trial's final checkpoint; null when no longer budget needs it
     * @param inheritedSeconds the wall time of the trial it continues (its checkpoint carries it into this trial's);
     *                      NaN where unknown, 0 from scratch
     */
    public record Continuation(String fromTrialId, int fromIteration, String resumeFrom, String checkpointTo,
                               double inheritedSeconds) implements Serializable {
    }

    public static Work whole(Trial trial) {
        return new Work(trial, null, null);
    }

    /** Unique among a sweep's work: the trial id, and the rung for a segment. */
    public String id() {
        return segment == null ? trial.id() : trial.id() + "-r" + segment.rung();
    }

    /** For the progress line. */
    public String label() {
        return trial.model().describe() + (segment != null ? " r" + segment.rung()
                : continues() ? " " + continuation.fromIteration() + "->" + trial.training().iterations() : "");
    }

    /** Iterations this work trains. */
    public int iterations() {
        return untilIteration() - fromIteration();
    }

    /** Where training starts: 0 from scratch, else the iteration of the checkpoint it resumes from. */
    public int fromIteration() {
        return segment != null ? segment.fromIteration()
                : continuation != null ? continuation.fromIteration() : 0;
    }

    /** Where training ends: the segment's rung, or the trial's budget. */
    public int untilIteration() {
        return segment != null ? segment.untilIteration() : trial.training().iterations();
    }

    /** The checkpoint training starts from; null from scratch. */
    public String resumeFrom() {
        return segment != null ? segment.resumeFrom() : continuation != null ? continuation.resumeFrom() : null;
    }

    /** Where to write the checkpoint at {@link #untilIteration()}; null for none. */
    public String checkpointTo() {
        return segment != null ? segment.checkpointTo() : continuation != null ? continuation.checkpointTo() : null;
    }

    /** Whether this whole trial starts from a shorter budget's checkpoint. */
    public boolean continues() {
        return continuation != null && continuation.fromTrialId() != null;
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
        /** Nothing to write: the work is done again (a checkpoint it should continue from could not be read). */
        public static final Recorded SKIP = new Recorded(false, "skip", false);
    }
}
