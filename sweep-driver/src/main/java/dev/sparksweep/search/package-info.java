/**
 * Search spaces: a HOCON sweep file is validated and expanded into {@link dev.sparksweep.search.Trial}s, each with a
 * stable id derived from its parameters and the dataset it trains on.
 */
package dev.sparksweep.search;
