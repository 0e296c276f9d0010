/** The {@code sparksweep} command line: run a sweep, query the leaderboard, fetch data. */
package dev.sparksweep.cli;
