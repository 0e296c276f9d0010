/**
 * Schedulers decide how much of its budget each trial gets: FIFO trains every trial through, ASHA (asynchronous
 * successive halving) stops poor trials at rungs and continues promising ones from their checkpoints.
 */
package dev.sparksweep.search.scheduling;
