package dev.sparksweep.leaderboard;

import dev.sparksweep.search.Trial;
import dev.sparksweep.train.TrialResult;

import java.io.Serializable;

/** A trial, what training it produced and how it was run: one leaderboard row and its learning curve. */
public record TrialOutcome(Trial trial, TrialResult result, Provenance provenance) implements Serializable {
}
