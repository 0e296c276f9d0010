package dev.sparksweep.refit;

import dev.sparksweep.data.DatasetCache;
import dev.sparksweep.data.DatasetName;
import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.model.Family;
import dev.sparksweep.model.FusedRecurrent;
import dev.sparksweep.model.FusedRecurrentLayer;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.train.Batches;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.TrainingConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dl4j-spark 1.0.0-M2 (on DL4J 1.0.0-M2.1 and Spark 3.5.9) trains sparksweep's own network data-parallel.
 * A one-layer fused LSTM (hidden 16) fits 2,000 real MNIST images in mini-batches of 50 with parameter averaging in
 * Spark local[2], and classifies 1,000 test images well above chance and above the untrained network.
 */
class DataParallelTrainingTest {

    private static final int BATCH = 50;

    @Test
    void parameterAveragingTrainsTheFusedLstmOnMnist() throws Exception {
        long start = System.nanoTime();
        ModelSpec spec = new ModelSpec(Family.LSTM, 1, 16, null, false, false);
        // Adam at 0.02, constant; iterations only size the (constant) schedule.
        TrainingConfig config = new TrainingConfig(200, BATCH, 0.02, 7L, 200, 100, 1);
        MultiLayerNetwork network = RecurrentTrainer.network(spec, config);
        assertInstanceOf(FusedRecurrent.class, network.getLayerWiseConfigurations().getConf(0).getLayer());
        assertInstanceOf(FusedRecurrentLayer.class, network.getLayer(0));

        Path dataDir = dev.sparksweep.search.SweepConfig.load(null, java.util.Map.of()).runtime().dataDir();
        DatasetSplits data = DatasetCache.get(DatasetName.MNIST, dataDir, new SplitSpec(0, 2000, 1000, true));
        List<DataSet> train = batches(data.train());
        List<DataSet> test = batches(data.test());
        assertEquals(40, train.size());
        assertEquals(20, test.size());

        // What the training master broadcasts to executors (config + parameters + Adam state) goes through Spark's
        // Java serializer on a real cluster (local mode hands the driver's object over as is): the fused layer's
        // configuration must come back and rebuild the same network.
        assertSurvivesJavaSerialization(network, test.get(0).getFeatures());

        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("dl4j-spark probe")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JavaRDD<DataSet> trainRdd = sc.parallelize(train, 2);
            JavaRDD<DataSet> testRdd = sc.parallelize(test, 2);

            // The argument is the number of examples in each DataSet of the RDD (here one mini-batch each).
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(BATCH)
                    .batchSizePerWorker(BATCH)
                    .averagingFrequency(5)
                    .workerPrefetchNumBatches(2)
                    .rngSeed(7L)
                    .build();
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, master);

            double untrained = accuracy(sparkNet, testRdd);
            long fitStart = System.nanoTime();
            int epochs = 5;
            for (int epoch = 0; epoch < epochs; epoch++) {
                sparkNet.fit(trainRdd);
            }
            double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
            double trained = accuracy(sparkNet, testRdd);
            // evaluate() (a deprecated org.deeplearning4j.eval.Evaluation, class count from the data) agrees here.
            assertEquals(trained, sparkNet.evaluate(testRdd).accuracy(), 1e-9);

            // The averaged network is on the driver; it is the same object fit returns, with the fused layer.
            MultiLayerNetwork result = sparkNet.getNetwork();
            assertInstanceOf(FusedRecurrentLayer.class, result.getLayer(0));
            double local = RecurrentTrainer.accuracy(result, data.test(), 100);

            System.out.printf("dl4j-spark probe: untrained %.3f, after %d epochs %.3f (local check %.3f), "
                            + "fit %.1f s, test %.1f s in all, score %.4f%n", untrained, epochs, trained, local,
                    fitSeconds, (System.nanoTime() - start) / 1e9, sparkNet.getScore());
            assertEquals(local, trained, 1e-9, "Spark's evaluation and a local pass agree");
            assertTrue(trained > 0.5, "accuracy " + trained + " should be well above chance (0.1)");
            assertTrue(trained > untrained + 0.2, "trained " + trained + " vs untrained " + untrained);
        }
    }

    /** One DataSet per mini-batch of {@link #BATCH} images, in the stored order. */
    private static List<DataSet> batches(Images images) {
        int[] order = Batches.identity(images.count());
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < images.count(); from += BATCH) {
            int to = Math.min(from + BATCH, images.count());
            out.add(new DataSet(Batches.features(images, order, from, to), Batches.oneHotLabels(images, order, from,
                    to)));
        }
        return out;
    }

    /** The accuracy Spark's distributed evaluation reports (evaluation batch 50). */
    private static double accuracy(SparkDl4jMultiLayer sparkNet, JavaRDD<DataSet> data) {
        Evaluation[] evaluation = sparkNet.doEvaluation(data, BATCH, new Evaluation(10));
        return evaluation[0].accuracy();
    }

    private static void assertSurvivesJavaSerialization(MultiLayerNetwork network, INDArray features) {
        NetBroadcastTuple tuple = new NetBroadcastTuple(network.getLayerWiseConfigurations(), network.params(),
                network.getUpdater().getStateViewArray());
        SerializerInstance serializer = new JavaSerializer(new SparkConf()).newInstance();
        ByteBuffer bytes = serializer.serialize(tuple, ClassTag$.MODULE$.apply(NetBroadcastTuple.class));
        NetBroadcastTuple back = serializer.deserialize(bytes, ClassTag$.MODULE$.apply(NetBroadcastTuple.class));
        MultiLayerConfiguration conf = back.getConfiguration();
        assertEquals(network.getLayerWiseConfigurations(), conf);
        assertInstanceOf(FusedRecurrent.class, conf.getConf(0).getLayer());
        // As ParameterAveragingTrainingWorker builds its copy.
        MultiLayerNetwork copy = new MultiLayerNetwork(conf.clone());
        copy.init(back.getParameters().unsafeDuplication(), false);
        assertInstanceOf(FusedRecurrentLayer.class, copy.getLayer(0));
        assertEquals(network.output(features, false), copy.output(features, false));
    }
}
