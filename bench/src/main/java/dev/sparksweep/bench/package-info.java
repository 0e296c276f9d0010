/** Benchmarks that print figures: training speed per iteration, evaluation time, memory, and sweep packing. */
package dev.sparksweep.bench;
