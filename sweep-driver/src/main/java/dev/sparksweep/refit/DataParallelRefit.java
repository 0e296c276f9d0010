package dev.sparksweep.refit;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;
import dev.sparksweep.model.ModelSpec;
import dev.sparksweep.saved.SavedModel;
import dev.sparksweep.schedule.ModelSaver;
import dev.sparksweep.search.params.Configurations;
import dev.sparksweep.search.params.Params;
import dev.sparksweep.train.Batches;
import dev.sparksweep.train.RecurrentTrainer;
import dev.sparksweep.train.TrainingConfig;
import dev.sparksweep.train.TrialResult;
import dev.sparksweep.train.TrialStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A refit trained data-parallel over the cluster's executors with dl4j-spark: synchronous parameter averaging
 * ({@link ParameterAveragingTrainingMaster}). Each worker fits mini-batches of the configuration's batch size and the
 * workers' parameters and updater states are averaged every {@code averagingFrequency} mini-batches. The budget is
 * counted in mini-batches over all workers, so a refit of N iterations sees the same N x batch examples as training
 * in one JVM, each worker doing about N / workers of them.
 *
 * <p>The training images travel once, as a broadcast of their bytes (47 MB for MNIST); the RDD holds only each
 * mini-batch's image indices, turned into a {@link DataSet} on the executor.
 */
public final class DataParallelRefit {

    /**
     * Mini-batches handed to dl4j-spark per fit call: it caches each call's DataSets on the executors (serialized)
     * while it splits them into averaging rounds; 200 batches of 100 MNIST images are 63 MB.
     */
    private static final int BATCHES_PER_FIT = 200;

    private DataParallelRefit() {
    }

    public static RefitOutcome train(SparkSession spark, RefitSource source, RefitSettings settings,
                                     int averagingFrequency, DatasetSplits data, String modelId, Path modelFile,
                                     PrintStream out) {
        Map<String, Object> configuration = LocalRefit.configuration(source, settings.iterations());
        ModelSpec model = Configurations.model(configuration);
        int budget = ((Number) configuration.get(Params.ITERATIONS.key())).intValue();
        TrainingConfig training = Configurations.training(configuration, budget, settings.evalBatchSize(),
                settings.threads(), false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int workers = workers(jsc);
        int batch = training.batchSize();
        MultiLayerNetwork network = RecurrentTrainer.network(model, training);
        // Direct: the workers take the RDD's DataSets as they are. dl4j-spark's default (Export) first writes them to
        // the default Hadoop file system, which a cluster over local disks does not share.
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch).averagingFrequency(averagingFrequency).workerPrefetchNumBatches(2)
                .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never).build();
        SparkDl4jMultiLayer sparkNetwork = new SparkDl4jMultiLayer(jsc, network, master);
        Broadcast<Images> images = jsc.broadcast(data.train());
        out.printf(Locale.ROOT, "refit: data-parallel over %d workers (parameter averaging every %d mini-batches of"
                + " %d)%n", workers, averagingFrequency, batch);
        long start = System.nanoTime();
        List<int[]> batches = batchOrder(data.train().count(), batch, budget, training.seed());
        try {
            for (int from = 0; from < batches.size(); from += BATCHES_PER_FIT) {
                List<int[]> chunk = batches.subList(from, Math.min(batches.size(), from + BATCHES_PER_FIT));
                sparkNetwork.fit(DistributedEvaluation.dataSets(jsc, images, chunk));
                int done = from + chunk.size();
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "refit: %d/%d iterations, %.1f it/s, ETA %.0fs%n", done, budget,
                        done / seconds, (budget - done) / (done / seconds));
            }
        } finally {
            images.destroy();
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        MultiLayerNetwork trained = sparkNetwork.getNetwork();
        double test = RecurrentTrainer.accuracy(trained, data.test(), settings.evalBatchSize());
        TrialResult result = new TrialResult(TrialStatus.OK, null, Double.NaN, 0, Double.NaN, test,
                sparkNetwork.getScore(), List.of(), budget, trainSeconds, trainSeconds, budget / trainSeconds,
                trained.numParams(), trainSeconds);
        String how = "ParameterAveragingTrainingMaster(averagingFrequency=" + averagingFrequency
                + ", batchSizePerWorker=" + batch + ")";
        new SavedModel(trained, ModelSaver.card(null, source.configId(), source.sweep(), model.describe(),
                configuration, data, result, Map.of("refit_of_trial", source.trialId(), "refit_mode",
                        "data-parallel over " + workers + " workers: " + how, "master", jsc.master()))).write(modelFile);
        return new RefitOutcome(modelId, modelFile, source, result, data.train().count(), data.test().count(), budget,
                batch, training.seed(), (System.nanoTime() - start) / 1e9, true, workers, how, jsc.master());
    }

    /**
     * Parallel trainers: the local master's threads, or on a cluster its executors' cores, once the executors that
     * register within a few seconds of each other have (a fresh application starts with none).
     */
    static int workers(JavaSparkContext jsc) {
        if (jsc.isLocal()) {
            return Math.max(1, jsc.defaultParallelism());
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        int executors = 0;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = jsc.sc().getExecutorIds().size();
            if (now != executors) {
                executors = now;
                stableSince = System.nanoTime();
            } else if (executors > 0 && System.nanoTime() - stableSince > 3_000_000_000L) {
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (executors == 0) {
            throw new IllegalStateException("no executor registered with " + jsc.master() + " within 60 s");
        }
        int cores = jsc.getConf().getInt("spark.executor.cores", 0);
        return cores > 0 ? executors * cores : Math.max(executors, jsc.defaultParallelism());
    }

    /**
     * The image indices of each of {@code budget} mini-batches: epochs of the training images, each shuffled anew
     * from the trial's seed, cut into mini-batches of {@code batch} (an epoch's remainder is left out).
     */
    static List<int[]> batchOrder(int count, int batch, int budget, long seed) {
        Random random = new Random(seed);
        int[] order = Batches.identity(count);
        Batches.shuffle(order, random);
        List<int[]> out = new ArrayList<>(budget);
        int position = 0;
        while (out.size() < budget) {
            if (position + batch > count) {
                Batches.shuffle(order, random);
                position = 0;
            }
            out.add(java.util.Arrays.copyOfRange(order, position, position + batch));
            position += batch;
        }
        return out;
    }
}
