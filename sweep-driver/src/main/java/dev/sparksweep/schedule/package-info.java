/**
 * Running a sweep on Spark: every trial is its own single-partition Spark job, so trials never share a task, run in
 * parallel on every free slot, and reach the leaderboard the moment they finish.
 */
package dev.sparksweep.schedule;
