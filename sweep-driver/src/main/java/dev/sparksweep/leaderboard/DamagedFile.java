package dev.sparksweep.leaderboard;

/** A results file that cannot be read whole, and what is wrong with it. */
public record DamagedFile(String path, String problem) {
}
