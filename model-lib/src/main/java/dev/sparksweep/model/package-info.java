/**
 * What a recurrent classifier is ({@link dev.sparksweep.model.ModelSpec}) and how it becomes a DL4J network
 * equivalent to the reference notebook's PyTorch models.
 */
package dev.sparksweep.model;
