package dev.sparksweep.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a dataset's four IDX files into train / validation / test {@link Images}. The validation set is a fixed
 * subset of the training files ({@link ValidationSplit}); limits then cut the train and test sets to a prefix.
 * Use {@link DatasetCache} where the same data is loaded repeatedly in one JVM.
 */
public final class DatasetLoader {

    public static final int ROWS = 28;
    public static final int COLS = 28;

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

    private DatasetLoader() {
    }

    /** Loads {@code name} from {@code dataDir/<id>} (the layout {@link DataFetcher} writes) against its manifest. */
    public static DatasetSplits load(DatasetName name, Path dataDir, SplitSpec spec) {
        return loadFrom(DatasetManifest.of(name), name.directoryIn(dataDir), spec);
    }

    /** Loads the files of {@code datasetDir} itself, verified against {@code manifest} if the spec asks. */
    public static DatasetSplits loadFrom(DatasetManifest manifest, Path datasetDir, SplitSpec spec) {
        List<String> required = Arrays.stream(IdxFile.values()).map(IdxFile::fileName).toList();
        if (!manifest.sha256().keySet().containsAll(required)) {
            throw new IllegalArgumentException("manifest of " + manifest.dataset() + " lists "
                    + manifest.sha256().keySet() + " but loading needs " + required);
        }
        long start = System.nanoTime();
        Path dir = datasetDir.toAbsolutePath().normalize();
        if (spec.verifyChecksums()) {
            manifest.verify(dir);
        }
        Images allTrain = readImages(manifest.dataset(), dir, IdxFile.TRAIN_IMAGES, IdxFile.TRAIN_LABELS);
        Images allTest = readImages(manifest.dataset(), dir, IdxFile.TEST_IMAGES, IdxFile.TEST_LABELS);

        if (spec.validationSize() >= allTrain.count()) {
            throw new DataException("validationSize " + spec.validationSize() + " leaves no training images: "
                    + dir.resolve(IdxFile.TRAIN_IMAGES.fileName()) + " holds only " + allTrain.count()
                    + " images; use a validationSize below " + allTrain.count());
        }
        ValidationSplit split = ValidationSplit.of(allTrain.count(), spec.validationSize());
        int[] trainIndices = split.train();
        if (spec.trainLimit() > 0 && spec.trainLimit() < trainIndices.length) {
            trainIndices = Arrays.copyOf(trainIndices, spec.trainLimit());
        }
        Images train = allTrain.slice(trainIndices);
        Images validation = allTrain.slice(split.validation());
        Images test = spec.testLimit() > 0 && spec.testLimit() < allTest.count()
                ? allTest.head(spec.testLimit())
                : allTest;

        DatasetSplits splits = new DatasetSplits(manifest.dataset(), manifest.checksum(), train, validation, test);
        LOG.info("Loaded {} from {}: train {}, validation {}, test {} ({} ms{})", manifest.dataset(), dir,
                train.count(), validation.count(), test.count(), (System.nanoTime() - start) / 1_000_000,
                spec.verifyChecksums() ? "" : ", checksums not verified");
        return splits;
    }

    private static Images readImages(DatasetName dataset, Path dir, IdxFile imagesFile, IdxFile labelsFile) {
        Path imagesPath = locate(dataset, dir, imagesFile);
        Path labelsPath = locate(dataset, dir, labelsFile);
        IdxArray images = IdxReader.read(imagesPath);
        IdxArray labels = IdxReader.read(labelsPath);
        int[] imageDims = images.dims();
        if (imageDims.length != 3 || imageDims[1] != ROWS || imageDims[2] != COLS) {
            throw new DataException(imagesPath + ": expected images with dims [count, " + ROWS + ", " + COLS
                    + "], found dims " + Arrays.toString(imageDims));
        }
        if (labels.dims().length != 1) {
            throw new DataException(labelsPath + ": expected a one-dimensional label file, found dims "
                    + Arrays.toString(labels.dims()));
        }
        if (labels.dims()[0] != imageDims[0]) {
            throw new DataException(labelsPath + " holds " + labels.dims()[0] + " labels but " + imagesPath
                    + " holds " + imageDims[0] + " images");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= Images.CLASSES) {
                throw new DataException(labelsPath + ": label " + label + " at index " + i + " is outside 0.."
                        + (Images.CLASSES - 1));
            }
        }
        return new Images(imageDims[0], ROWS, COLS, images.data(), labelBytes);
    }

    private static Path locate(DatasetName dataset, Path dir, IdxFile file) {
        return DatasetManifest.locate(dir, file.fileName()).orElseThrow(() -> new DataException(
                new FileCheck.Missing(file.fileName(), dir).describe()
                        + "; to download it, run: ./sparksweep fetch-data --dataset " + dataset.id()));
    }
}
