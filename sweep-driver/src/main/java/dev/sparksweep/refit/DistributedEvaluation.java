package dev.sparksweep.refit;

import dev.sparksweep.data.Images;
import dev.sparksweep.saved.ClassificationReport;
import dev.sparksweep.train.Batches;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a network over a Spark cluster with dl4j-spark: the images are broadcast once, each executor turns its
 * share of mini-batch indices into {@link DataSet}s and evaluates them, and DL4J merges the executors' evaluations.
 */
public final class DistributedEvaluation {

    private DistributedEvaluation() {
    }

    /** The report of {@code network} on every image of {@code images}, computed by the cluster's executors. */
    public static ClassificationReport of(SparkSession spark, MultiLayerNetwork network, Images images, int batch) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Images> shared = jsc.broadcast(images);
        try {
            List<int[]> batches = new ArrayList<>();
            int[] order = Batches.identity(images.count());
            for (int from = 0; from < images.count(); from += batch) {
                batches.add(Arrays.copyOfRange(order, from, Math.min(images.count(), from + batch)));
            }
            // The training master is not used to evaluate; dl4j-spark's constructor wants one.
            SparkDl4jMultiLayer distributed = new SparkDl4jMultiLayer(jsc, network,
                    new ParameterAveragingTrainingMaster.Builder(batch).batchSizePerWorker(batch).build());
            Evaluation[] evaluation = distributed.doEvaluation(dataSets(jsc, shared, batches), batch,
                    new Evaluation(Images.CLASSES));
            return ClassificationReport.of(evaluation[0]);
        } finally {
            shared.destroy();
        }
    }

    /** One {@link DataSet} per index list, made on the executors from the broadcast images. */
    static JavaRDD<DataSet> dataSets(JavaSparkContext jsc, Broadcast<Images> images, List<int[]> batches) {
        return jsc.parallelize(new ArrayList<>(batches), Math.max(1, jsc.defaultParallelism()))
                .map(indices -> new DataSet(Batches.features(images.value(), indices, 0, indices.length),
                        Batches.oneHotLabels(images.value(), indices, 0, indices.length)));
    }
}
