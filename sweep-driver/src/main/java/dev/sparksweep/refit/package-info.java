/**
 * The winner as a model: choosing a configuration from a sweep's results ({@link dev.sparksweep.refit.RefitSource}),
 * training it again on the training and validation images together, in this JVM or data-parallel over a Spark
 * cluster with dl4j-spark, evaluating it on the test set and saving it with a row in the {@code models} table.
 */
package dev.sparksweep.refit;
