package dev.sparksweep.saved;

import dev.sparksweep.data.DataException;
import dev.sparksweep.data.IdxArray;
import dev.sparksweep.data.IdxReader;
import dev.sparksweep.data.Images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images to predict, read from files people have: an IDX image file (raw or gzipped, as MNIST ships; dims
 * {@code [count, rows, cols]} of unsigned bytes), one PNG, or a folder of PNGs (in name order). PNGs must be
 * grey-scale, or colour images whose pixels are all grey, with light strokes on a dark background as in MNIST;
 * anything else (a colour image, an image of another size, a JPEG) is refused with the file named, because
 * converting it silently would hand the network data it was never trained on.
 *
 * @param names  one name per image: {@code file.png}, or {@code file-idx3-ubyte[17]} for an IDX file's 18th image
 * @param images the pixels (the labels are unknown and left 0)
 */
public record ImageFiles(List<String> names, Images images) {

    public ImageFiles {
        names = List.copyOf(names);
    }

    /**
     * @throws IllegalArgumentException naming the file and the problem: not found, not IDX or PNG, not readable, not
     *                                  grey-scale, or not the shape {@code shape} takes
     */
    public static ImageFiles read(Path path, InputShape shape) {
        if (Files.isDirectory(path)) {
            List<Path> pngs;
            try (Stream<Path> files = Files.list(path)) {
                pngs = files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new IllegalArgumentException(path + ": cannot list the folder: " + e.getMessage(), e);
            }
            if (pngs.isEmpty()) {
                throw new IllegalArgumentException(path + ": a folder with no .png files");
            }
            return pngs(pngs, shape);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": no such file or folder");
        }
        if (isPng(path)) {
            return pngs(List.of(path), shape);
        }
        return idx(path, shape);
    }

    private static ImageFiles idx(Path file, InputShape shape) {
        IdxArray array;
        try {
            array = IdxReader.read(file);
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage() + " (predict reads IDX image files and PNG images)", e);
        }
        int[] dims = array.dims();
        if (dims.length != 3) {
            throw new IllegalArgumentException(file + ": an IDX file of dims " + java.util.Arrays.toString(dims)
                    + "; images are [count, rows, cols] (a label file has one dimension)");
        }
        shape.check(dims[1], dims[2], file.toString());
        List<String> names = new ArrayList<>(dims[0]);
        for (int i = 0; i < dims[0]; i++) {
            names.add(file.getFileName() + "[" + i + "]");
        }
        return new ImageFiles(names, new Images(dims[0], dims[1], dims[2], array.data(), new byte[dims[0]]));
    }

    private static ImageFiles pngs(List<Path> files, InputShape shape) {
        byte[] pixels = new byte[files.size() * shape.rows() * shape.cols()];
        List<String> names = new ArrayList<>();
        int offset = 0;
        for (Path file : files) {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": not a readable PNG image: " + e.getMessage(), e);
            }
            if (image == null) {
                throw new IllegalArgumentException(file + ": not a readable PNG image");
            }
            shape.check(image.getHeight(), image.getWidth(), file.toString());
            grey(image, file, pixels, offset);
            offset += shape.rows() * shape.cols();
            names.add(file.getFileName().toString());
        }
        return new ImageFiles(names, new Images(files.size(), shape.rows(), shape.cols(), pixels,
                new byte[files.size()]));
    }

    /** Copies {@code image}'s grey levels (0..255) to {@code out} row by row. */
    private static void grey(BufferedImage image, Path file, byte[] out, int offset) {
        int width = image.getWidth();
        boolean singleBand = image.getRaster().getNumBands() == 1 && image.getColorModel().getNumComponents() == 1;
        int bits = image.getColorModel().getComponentSize(0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < width; x++) {
                int value;
                if (singleBand) {
                    // The raster's own samples: getRGB would pass them through a colour conversion.
                    value = image.getRaster().getSample(x, y, 0) >> Math.max(0, bits - 8);
                } else {
                    int argb = image.getRGB(x, y);
                    int r = argb >> 16 & 0xFF;
                    int g = argb >> 8 & 0xFF;
                    int b = argb & 0xFF;
                    if (r != g || g != b) {
                        throw new IllegalArgumentException(file + ": a colour image (pixel " + x + "," + y + " is "
                                + "rgb(" + r + "," + g + "," + b + ")); predict takes grey-scale images, light "
                                + "strokes on a dark background as in MNIST");
                    }
                    if ((argb >>> 24) != 0xFF) {
                        throw new IllegalArgumentException(file + ": pixel " + x + "," + y + " is transparent; "
                                + "predict takes opaque grey-scale images");
                    }
                    value = r;
                }
                out[offset + y * width + x] = (byte) value;
            }
        }
    }

    private static boolean isPng(Path file) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            return java.util.Arrays.equals(head, signature);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
