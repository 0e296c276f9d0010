package dev.sparksweep.schedule;

import dev.sparksweep.search.SaveModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which saved networks a rerun keeps from the rows of earlier runs. */
class ModelKeeperTest {

    @TempDir
    Path dir;

    private String model(String trial) throws IOException {
        return Files.writeString(dir.resolve(trial + ".zip"), trial).toString();
    }

    @Test
    void aTrialTrainedAgainCountsOnceByItsLatestRowAndNoKeptFileIsDeleted() throws IOException {
        String a = model("a");
        String b = model("b");
        String c = model("c");
        // --retry ok trained a and b again: each has two rows naming the same file, the latest last.
        List<ModelKeeper.Kept> rows = List.of(new ModelKeeper.Kept("a", a, 0.90), new ModelKeeper.Kept("b", b, 0.70),
                new ModelKeeper.Kept("c", c, 0.80), new ModelKeeper.Kept("a", a, 0.91),
                new ModelKeeper.Kept("b", b, 0.85));
        ModelKeeper keeper = new ModelKeeper(new SaveModels(SaveModels.Mode.BEST_K, 2), rows);
        assertEquals(List.of("a", "b"), keeper.kept().stream().map(ModelKeeper.Kept::trialId).toList(),
                "the two best by their latest rows");
        assertTrue(Files.exists(Path.of(a)) && Files.exists(Path.of(b)), "the kept models' files are all there");
        assertTrue(Files.notExists(Path.of(c)), "the third best's is deleted");
    }

    @Test
    void aDisplacedModelIsDeletedOnlyOnceTheRowThatDisplacedItIsCommitted() throws IOException {
        String a = model("a");
        ModelKeeper keeper = new ModelKeeper(new SaveModels(SaveModels.Mode.BEST_K, 1),
                List.of(new ModelKeeper.Kept("a", a, 0.80)));
        String b = model("b");
        assertTrue(keeper.keep(new ModelKeeper.Kept("b", b, 0.90)));
        assertEquals(List.of("b"), keeper.kept().stream().map(ModelKeeper.Kept::trialId).toList());
        assertTrue(Files.exists(Path.of(a)), "b's row is not committed yet: a driver killed now keeps a");
        keeper.deleteEvicted();
        assertTrue(Files.notExists(Path.of(a)) && Files.exists(Path.of(b)));
    }
}
