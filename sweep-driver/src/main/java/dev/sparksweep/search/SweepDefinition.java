package dev.sparksweep.search;

/**
 * A validated sweep: its name, the space to search, the data every trial uses, and how trials are measured.
 *
 * @param source    where the definition came from (a file path or "embedded:quick"), for messages and provenance
 * @param timeLimit wall time one trial may train before it is stopped as timed out; zero for none. Not part of a
 *                  trial's identity: it bounds the run, not what is trained.
 */
public record SweepDefinition(String name, String source, SearchSpace space, DataSpec data, int evalEvery,
                              int evalBatchSize, int threadsPerTrial, int maxTrials, boolean testCurve,
                              java.time.Duration timeLimit) {
}
