/**
 * Search: a HOCON sweep file is validated into a {@link dev.sparksweep.search.SweepDefinition} (its space read by the
 * parameter declarations), whose trials are planned up front (grid, random, Sobol: {@link
 * dev.sparksweep.search.SpaceExpander}) or proposed as results arrive (TPE: {@link dev.sparksweep.search.TpeTrials});
 * each {@link dev.sparksweep.search.Trial} has a stable id derived from its parameters and the dataset.
 */
package dev.sparksweep.search;
