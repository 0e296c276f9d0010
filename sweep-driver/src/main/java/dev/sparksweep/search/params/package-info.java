/**
 * Hyperparameters as data: each one declared once ({@link dev.sparksweep.search.params.Params}), the values or
 * distribution a sweep gives it ({@link dev.sparksweep.search.params.Domain}), the whole search space
 * ({@link dev.sparksweep.search.params.Space}) and where each value goes in model-lib
 * ({@link dev.sparksweep.search.params.Configurations}).
 */
package dev.sparksweep.search.params;
