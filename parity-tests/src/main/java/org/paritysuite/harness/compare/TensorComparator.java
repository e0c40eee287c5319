package org.paritysuite.harness.compare;

import org.paritysuite.fixtures.Doubles;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares two tensors element by element under a {@link Tolerance}.
 *
 * <p>Beyond {@code assert_close}: a comparison that compares nothing fails (an empty tensor, or
 * every element of both sides under a positive absolute floor, like DL4J's gradient-check guard;
 * under a floor of 0 every element is held to exact equality, so exact zeros on both sides agree), and a
 * NaN or infinity on either side fails, even on both sides at the same index. The ULP distance is
 * counted in the precision of {@code actual} (float32 or float64).
 */
public final class TensorComparator {

    /** Slack of the product pre-tests in the comparison loop: a million roundings, far below any tolerance. */
    private static final double SLACK = 1 + 1e-10;

    private TensorComparator() {
    }

    /** Compares {@code actual} with {@code expected}; never throws for numeric reasons. */
    public static TensorComparison compare(String label, INDArray actual, INDArray expected, Tolerance tolerance) {
        long[] shape = expected.shape();
        if (!Arrays.equals(actual.shape(), shape)) {
            return failure(label, shape, 0, tolerance, "Shapes differ: actual " + Arrays.toString(actual.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        long n = expected.length();
        if (tolerance.propagated() != null && tolerance.propagated().length != n) {
            throw new IllegalArgumentException(label + ": the propagated tolerance has " + tolerance.propagated().length
                    + " elements, the tensor " + n);
        }
        if (n == 0) {
            return failure(label, shape, 0, tolerance, "Nothing to compare: the tensors are empty");
        }
        boolean float32 = actual.dataType() == DataType.FLOAT || expected.dataType() == DataType.FLOAT;
        // Scratch arrays (may be longer than n): nothing below keeps them.
        double[] a = Doubles.scratch(0, actual);
        double[] e = Doubles.scratch(1, expected);

        // One pass; the running maxima are kept as values beside their indices (the comparator is the
        // inner loop of every trajectory step: docs/performance.md).
        double atol = tolerance.atol();
        double rtol = tolerance.rtol();
        double[] propagated = tolerance.propagated();
        long mismatched = 0;
        boolean anyAboveFloor = false;
        int maxAbsAt = 0;
        double maxAbs = 0;
        int maxRelAt = -1;
        double maxRel = 0;
        int worstAbsFailAt = -1;
        double worstAbsFail = -1;
        int worstRelFailAt = -1;
        double worstRelFail = 0;
        double maxUlp = 0;
        double scale = 0;
        double errorRatio = 0;
        for (int i = 0; i < n; i++) {
            double ai = a[i];
            double ei = e[i];
            if (!Double.isFinite(ai) || !Double.isFinite(ei)) {
                return failure(label, shape, n, tolerance, String.format(Locale.ROOT,
                        "Non-finite value at index %s: actual %s, expected %s (NaN or Inf never matches)",
                        indexText(shape, i), ai, ei));
            }
            double diff = Math.abs(ai - ei);
            double magnitude = Math.abs(ei);
            boolean relativeElement = magnitude > atol && magnitude > 0;
            // No branch for equal elements (they change no maximum and count as no mismatch: every test
            // below is false for diff == 0): where equal and unequal elements alternate at random, as in
            // float32, a mispredicted branch per element cost more than the tests it skipped.
            anyAboveFloor |= Math.abs(ai) > atol | magnitude > atol;
            scale = Math.max(scale, magnitude);
            if (diff > maxAbs) {
                maxAbs = diff;
                maxAbsAt = i;
            }
            // Divisions only where a maximum may move: the product test lets every candidate through
            // (its slack is far above one rounding), the division then decides exactly as before.
            if (relativeElement && diff * SLACK > maxRel * magnitude) {
                double rel = diff / magnitude;
                if (rel > maxRel) {
                    maxRel = rel;
                    maxRelAt = i;
                }
            }
            double ulps = ulpDistance(ai, ei, float32);
            if (ulps > maxUlp) {
                maxUlp = ulps;
            }
            double allowed = atol + rtol * magnitude + (propagated == null ? 0 : propagated[i]);
            if (diff * SLACK > errorRatio * allowed) {
                errorRatio = Math.max(errorRatio, allowed == 0 ? Double.POSITIVE_INFINITY : diff / allowed);
            }
            if (diff > allowed) {
                mismatched++;
                if (diff > worstAbsFail) {
                    worstAbsFail = diff;
                    worstAbsFailAt = i;
                }
                double rel = relativeElement ? diff / magnitude : 0;
                if (rel > worstRelFail) {
                    worstRelFail = rel;
                    worstRelFailAt = i;
                }
            }
        }
        // Under a floor of 0 nothing is waved through: every element was held to exact equality, so two
        // tensors of exact zeros (a zero image through a bias-free layer) agree exactly; they are not vacuous.
        String problem = anyAboveFloor || atol == 0 ? null : String.format(Locale.ROOT,
                "Nothing to compare: all %d elements of both tensors are within the absolute floor %.3g", n,
                tolerance.atol());
        return new TensorComparison(label, shape, n, mismatched,
                difference(shape, a, e, maxAbsAt, maxAbs),
                maxRelAt < 0 ? null : difference(shape, a, e, maxRelAt, maxRel),
                maxUlp, scale,
                worstAbsFailAt < 0 ? null : difference(shape, a, e, worstAbsFailAt, worstAbsFail),
                worstRelFailAt < 0 ? null : difference(shape, a, e, worstRelFailAt, worstRelFail),
                errorRatio, worstAbsFailAt < 0 ? Double.NaN : tolerance.allowed(worstAbsFailAt, e[worstAbsFailAt]),
                tolerance.summarised(), problem);
    }

    /**
     * How many representable numbers lie between {@code a} and {@code e} in the given precision;
     * the sign-magnitude bit patterns are mapped to a monotone integer line first. For finite
     * values, which is all the comparison loop passes: the raw bits skip the NaN check of
     * {@code doubleToLongBits}, 7 % of the loop's time (docs/performance.md), and are the same bits
     * for every number that is not a NaN.
     */
    static double ulpDistance(double a, double e, boolean float32) {
        if (float32) {
            return Math.abs(ordinal(Float.floatToRawIntBits((float) a)) - ordinal(Float.floatToRawIntBits((float) e)));
        }
        long oa = ordinal(Double.doubleToRawLongBits(a));
        long oe = ordinal(Double.doubleToRawLongBits(e));
        long d = oa - oe;
        boolean overflowed = ((oa ^ oe) & (oa ^ d)) < 0;        // opposite signs and a wrapped difference
        return overflowed ? Math.abs((double) oa - (double) oe) : Math.abs((double) d);
    }

    /**
     * The sign-magnitude bits of a float mapped to a monotone integer line ({@code -m} for a negative
     * number of magnitude bits {@code m}), without a branch: signs are random in a tensor, and a
     * mispredicted branch per element was most of the comparison loop's time.
     */
    private static long ordinal(int bits) {
        long magnitude = bits & Integer.MAX_VALUE;
        long sign = bits >> 31;                                  // 0 or -1
        return (magnitude ^ sign) - sign;
    }

    /** As {@link #ordinal(int)}, for a double's bits. */
    private static long ordinal(long bits) {
        long magnitude = bits & Long.MAX_VALUE;
        long sign = bits >> 63;
        return (magnitude ^ sign) - sign;
    }

    private static ElementDifference difference(long[] shape, double[] a, double[] e, int i, double value) {
        return new ElementDifference(index(shape, i), a[i], e[i], value);
    }

    /** The c-order index of flat position {@code flat}. */
    private static long[] index(long[] shape, int flat) {
        long[] index = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return index;
    }

    private static String indexText(long[] shape, int flat) {
        return new ElementDifference(index(shape, flat), 0, 0, 0).indexText();
    }

    private static TensorComparison failure(String label, long[] shape, long n, Tolerance tolerance, String problem) {
        return TensorComparison.failed(label, shape, n, tolerance, problem);
    }
}
