package org.paritysuite.harness.compare;

import org.paritysuite.fixtures.Doubles;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Which side of a float32 comparison is further from the truth. The truth is the float64 result
 * of the same case (same weights, same float32-representable batch), which both sides agree on to
 * about 1e-13; each float32 tensor's error is its greatest absolute distance from it.
 *
 * @param tensorflowError greatest {@code |tf32 - ref64|}
 * @param referenceError  greatest {@code |ref32 - ref64|}
 * @param verdict         {@code tensorflow} or {@code reference} when that side's error is more
 *                        than {@link #MARGIN} times the other's, otherwise {@code neither}
 */
public record Blame(double tensorflowError, double referenceError, String verdict) {

    /**
     * How much larger one side's error must be to take the blame: below a factor 2, two float32
     * computations of the same sums are within the spread of rounding and neither is "wrong".
     */
    public static final double MARGIN = 2;

    /** Blames the side whose float32 result is further from {@code float64}. */
    public static Blame of(INDArray tensorflow32, INDArray reference32, INDArray float64) {
        double tf = maxAbsDifference(tensorflow32, float64);
        double ref = maxAbsDifference(reference32, float64);
        String verdict = tf > MARGIN * ref ? "tensorflow" : ref > MARGIN * tf ? "reference" : "neither";
        return new Blame(tf, ref, verdict);
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        int n = Math.toIntExact(a.length());
        double[] x = Doubles.scratch(0, a);
        double[] y = Doubles.scratch(1, b);
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (tensorflow %.3g, reference %.3g from float64)", verdict,
                tensorflowError, referenceError);
    }
}
