/**
 * Samplers over a search space: reproducible uniform and scrambled Sobol points of the unit cube, and the
 * Tree-structured Parzen Estimator, which proposes from the results so far.
 */
package dev.sparksweep.search.sampling;
