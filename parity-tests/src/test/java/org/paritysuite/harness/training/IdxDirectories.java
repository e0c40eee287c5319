package org.paritysuite.harness.training;

import java.nio.file.Path;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.IdxWriter;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.Split;

/**
 * Small data directories laid out as {@code scripts/build-datasets.sh} writes them, for the tests
 * of {@code --data DIR}: the tests never depend on {@code data/} or the network.
 */
public final class IdxDirectories {

    private IdxDirectories() {
    }

    /**
     * Writes {@code train} training and {@code test} test images of {@code dataset} under {@code root}:
     * 28x28 images whose bytes cover 0..255, labels {@code i % 10} (class-balanced prefixes, as in the
     * real files).
     *
     * @return {@code root}
     */
    public static Path write(Path root, Dataset dataset, int train, int test) {
        IdxWriter.writeSplit(root, dataset, Split.TRAIN, synthetic(train, 0));
        IdxWriter.writeSplit(root, dataset, Split.TEST, synthetic(test, 1));
        return root;
    }

    private static LabeledImages synthetic(int n, int offset) {
        byte[] pixels = new byte[n * Dataset.ROWS * Dataset.COLS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i * 37 + 11 + offset) % 256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new LabeledImages(n, Dataset.ROWS, Dataset.COLS, pixels, labels);
    }
}
