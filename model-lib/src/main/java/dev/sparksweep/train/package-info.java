/**
 * Training one trial: a fixed iteration budget of shuffled mini-batches, periodic validation, a final test, early
 * stops by {@link dev.sparksweep.train.StopRules} (time limit, divergence), and a
 * {@link dev.sparksweep.train.TrialResult} that says how it went even when it diverged or failed. A trial may also
 * train in segments that continue from {@link dev.sparksweep.train.Checkpoint} files, as successive halving needs.
 */
package dev.sparksweep.train;
