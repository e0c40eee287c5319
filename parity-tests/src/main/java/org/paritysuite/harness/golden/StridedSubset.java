package org.paritysuite.harness.golden;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Doubles;

/**
 * The deterministic part of a big tensor a golden bundle keeps: every {@code k}-th element in
 * c-order, starting at the first. A tensor of at most {@link #MAX_ELEMENTS} elements is kept whole
 * ({@code k = 1}); a bigger one of {@code n} elements takes the smallest {@code k >= ceil(n / 512)}
 * that is coprime with its last dimension {@code d}. Element {@code j} of the subset is flat
 * element {@code j k}, in column {@code j k mod d}; with {@code gcd(k, d) = 1} these columns run
 * through every residue, so the subset meets every column (every unit of a layer, every output
 * channel of a kernel) instead of the same few again and again, as {@code k = d} would.
 */
public final class StridedSubset {

    /** The most elements a tensor may have to be kept whole; about the most a subset keeps. */
    public static final int MAX_ELEMENTS = 512;

    private StridedSubset() {
    }

    /** The stride for a tensor of {@code shape}: 1 up to {@link #MAX_ELEMENTS} elements. */
    public static int stride(long[] shape) {
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (n <= MAX_ELEMENTS) {
            return 1;
        }
        long last = shape.length == 0 ? 1 : shape[shape.length - 1];
        long k = (n + MAX_ELEMENTS - 1) / MAX_ELEMENTS;
        while (gcd(k, last) != 1) {
            k++;
        }
        return Math.toIntExact(k);
    }

    /** Elements {@code 0, k, 2k, ...} of {@code full} in c-order, as a vector of {@code full}'s data type. */
    public static INDArray of(INDArray full) {
        int k = stride(full.shape());
        double[] values = Doubles.of(full);
        double[] kept = new double[(values.length + k - 1) / k];
        for (int j = 0; j < kept.length; j++) {
            kept[j] = values[j * k];
        }
        return Nd4j.createFromArray(kept).castTo(full.dataType());
    }

    /** {@code max|x|} over every element of {@code full}: the check a subset adds for the rest. */
    public static double maxAbs(INDArray full) {
        double max = 0;
        for (double x : Doubles.of(full)) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
