/**
 * Which compute device a trial trains on: the GPU Spark assigned its task, checked against what ND4J's CUDA build can
 * run, and bound before the network is built.
 */
package dev.sparksweep.device;
