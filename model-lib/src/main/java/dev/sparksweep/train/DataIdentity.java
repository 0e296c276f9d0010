package dev.sparksweep.train;

import dev.sparksweep.data.DatasetSplits;
import dev.sparksweep.data.Images;

import java.io.Serializable;
import java.util.zip.CRC32C;

/**
 * The data a trial trains and validates on, as far as continuing it from a checkpoint must know: the same dataset
 * files ({@code checksum}) are not enough, since the validation size and training limit carve different splits from
 * them. The CRC-32C covers the labels and pixels of the training and validation splits in their order, so a
 * continuation on any other split (or the same images in another order, which would change the mini-batches) is
 * refused. The test split plays no part in training and is not covered.
 *
 * @param dataset         the dataset's id, e.g. {@code mnist}
 * @param checksum        {@link DatasetSplits#checksum()}: the files the splits were read from
 * @param trainCount      images in the training split
 * @param validationCount images in the validation split
 * @param crc32c          CRC-32C of the training then the validation split (labels, then pixels, of each)
 */
public record DataIdentity(String dataset, String checksum, int trainCount, int validationCount, long crc32c)
        implements Serializable {

    /** The identity of {@code data}; reads every training and validation byte once (a few ms for all of MNIST). */
    public static DataIdentity of(DatasetSplits data) {
        CRC32C crc = new CRC32C();
        for (Images images : new Images[]{data.train(), data.validation()}) {
            crc.update(images.labels());
            crc.update(images.pixels());
        }
        return new DataIdentity(data.dataset().id(), data.checksum(), data.train().count(),
                data.validation().count(), crc.getValue());
    }

    /** E.g. {@code mnist (checksum 1a2b..., 2000 training and 500 validation images, CRC-32C 0x1234abcd)}. */
    public String describe() {
        return String.format("%s (checksum %s, %d training and %d validation images, CRC-32C 0x%08x)", dataset,
                checksum, trainCount, validationCount, crc32c);
    }
}
