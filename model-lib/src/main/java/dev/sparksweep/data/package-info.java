/**
 * Datasets: IDX files read and verified against a SHA-256 manifest, fetched from configured sources when missing,
 * and served as immutable train / validation / test splits of recurrent inputs.
 */
package dev.sparksweep.data;
