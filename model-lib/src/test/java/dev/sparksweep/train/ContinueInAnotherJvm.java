package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.SplitSpec;
import dev.sparksweep.testdata.TestData;

import java.nio.file.Path;

/**
 * Continues a checkpoint in a JVM of its own, as an executor on another machine would: the trial's model and settings
 * come from the checkpoint, the data from the same split of MNIST. Started by {@link SegmentedTrainingTest}.
 *
 * <p>Arguments: checkpoint to resume from, iteration to train to, checkpoint to write, then the split's validation
 * size, training limit and test limit. Exits 0 when the segment ended OK.
 */
final class ContinueInAnotherJvm {

    private ContinueInAnotherJvm() {
    }

    public static void main(String[] args) {
        Path from = Path.of(args[0]);
        int until = Integer.parseInt(args[1]);
        Path to = Path.of(args[2]);
        DatasetSplits data = TestData.mnist(new SplitSpec(Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), true));
        TrainingState saved = Checkpoint.read(from).state();
        TrialResult result = new RecurrentTrainer().trainSegment(saved.model(), saved.config(), data,
                StopRules.DEFAULT, IterationListener.NONE, from, until, to);
        System.out.println("segment " + saved.iteration() + " -> " + until + ": " + result.status() + " "
                + (result.error() == null ? "" : result.error()));
        System.exit(result.status() == TrialStatus.OK ? 0 : 1);
    }
}
