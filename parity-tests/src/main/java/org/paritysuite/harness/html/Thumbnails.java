package org.paritysuite.harness.html;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.data.LabeledImages;

/**
 * Input images as small PNG data URIs, pixel for pixel (the page enlarges them without smoothing):
 * a 28x28 MNIST digit is a few hundred bytes.
 */
public final class Thumbnails {

    private Thumbnails() {
    }

    /**
     * Example {@code example} of a batch's inputs {@code x}, whose values run from {@code low}
     * (black) to {@code high} (white): {@code [N, H, W, C]} with one channel (grey) or three
     * (colour), or {@code [N, D]} with {@code D} a square (a flattened grey image, as the MLPs take
     * it); empty for any other shape, which is not a picture.
     */
    public static Optional<String> of(INDArray x, int example, double low, double high) {
        long[] shape = x.shape();
        int height;
        int width;
        int channels;
        if (shape.length == 4 && (shape[3] == 1 || shape[3] == 3)) {
            height = (int) shape[1];
            width = (int) shape[2];
            channels = (int) shape[3];
        } else if (shape.length == 2 && isSquare(shape[1])) {
            height = (int) Math.round(Math.sqrt(shape[1]));
            width = height;
            channels = 1;
        } else {
            return Optional.empty();
        }
        double[] values = x.slice(example).dup('c').ravel().toDoubleVector();
        for (int i = 0; i < values.length; i++) {
            values[i] = (values[i] - low) / (high - low);
        }
        return Optional.of(png(height, width, channels, values));
    }

    /** Image {@code image} of a shipped set, its pixels as stored (0 black, 255 white). */
    public static String of(LabeledImages images, int image) {
        double[] values = new double[images.pixelsPerImage()];
        for (int i = 0; i < values.length; i++) {
            values[i] = images.unsignedPixel(image, i) / 255.0;
        }
        return png(images.rows(), images.cols(), 1, values);
    }

    /** {@code values} in {@code [0, 1]} (clamped), row-major with channels last, as a PNG data URI. */
    static String png(int height, int width, int channels, double[] values) {
        BufferedImage image = new BufferedImage(width, height,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int at = (r * width + c) * channels;
                if (channels == 1) {
                    // The raster, not setRGB: a grey image's setRGB converts through a colour space and shifts the levels.
                    image.getRaster().setSample(c, r, 0, level(values[at]));
                } else {
                    image.setRGB(c, r, level(values[at]) << 16 | level(values[at + 1]) << 8 | level(values[at + 2]));
                }
            }
        }
        return dataUri(image);
    }

    /** An image as a {@code data:image/png;base64,...} URI. */
    static String dataUri(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory", e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static int level(double value) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(value) ? 0 : value)));
    }

    private static boolean isSquare(long n) {
        long root = Math.round(Math.sqrt(n));
        return root * root == n;
    }
}
