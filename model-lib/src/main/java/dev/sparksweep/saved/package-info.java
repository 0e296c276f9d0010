/**
 * Trained networks kept for use: a {@link dev.sparksweep.saved.SavedModel} is DL4J's own model file (configuration
 * JSON, parameters and updater state, readable by plain DL4J) with a {@link dev.sparksweep.saved.ModelCard} JSON
 * beside it saying what it is (trial, configuration, data, input shape and scaling, metrics, provenance). Also what is
 * done with one: evaluating it on a dataset split ({@link dev.sparksweep.saved.ClassificationReport}) and predicting
 * images read from IDX or PNG files ({@link dev.sparksweep.saved.ImageFiles}).
 */
package dev.sparksweep.saved;
