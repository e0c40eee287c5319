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
 * every element of both sides under the absolute floor, like DL4J's gradient-check guard), and a
 * NaN or infinity on either side fails, even on both sides at the same index. The ULP distance is
 * counted in the precision of {@code actual} (float32 or float64).
 */
public final class TensorComparator {

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
        double[] a = Doubles.of(actual);
        double[] e = Doubles.of(expected);

        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(e[i])) {
                return failure(label, shape, n, tolerance, String.format(Locale.ROOT,
                        "Non-finite value at index %s: actual %s, expected %s (NaN or Inf never matches)",
                        indexText(shape, i), a[i], e[i]));
            }
        }

        long mismatched = 0;
        boolean anyAboveFloor = false;
        int maxAbsAt = 0;
        int maxRelAt = -1;
        int worstAbsFailAt = -1;
        int worstRelFailAt = -1;
        double maxUlp = 0;
        double errorRatio = 0;
        for (int i = 0; i < n; i++) {
            double diff = Math.abs(a[i] - e[i]);
            double rel = relative(a[i], e[i], tolerance);
            anyAboveFloor |= Math.abs(a[i]) > tolerance.atol() || Math.abs(e[i]) > tolerance.atol();
            if (diff > Math.abs(a[maxAbsAt] - e[maxAbsAt])) {
                maxAbsAt = i;
            }
            if (rel > 0 && (maxRelAt < 0 || rel > relative(a[maxRelAt], e[maxRelAt], tolerance))) {
                maxRelAt = i;
            }
            maxUlp = Math.max(maxUlp, ulpDistance(a[i], e[i], float32));
            double allowed = tolerance.allowed(i, e[i]);
            errorRatio = Math.max(errorRatio, allowed == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / allowed);
            if (diff > allowed) {
                mismatched++;
                if (worstAbsFailAt < 0 || diff > Math.abs(a[worstAbsFailAt] - e[worstAbsFailAt])) {
                    worstAbsFailAt = i;
                }
                if (rel > 0 && (worstRelFailAt < 0 || rel > relative(a[worstRelFailAt], e[worstRelFailAt], tolerance))) {
                    worstRelFailAt = i;
                }
            }
        }
        String problem = anyAboveFloor ? null : String.format(Locale.ROOT,
                "Nothing to compare: all %d elements of both tensors are within the absolute floor %.3g", n,
                tolerance.atol());
        return new TensorComparison(label, shape, n, mismatched,
                difference(shape, a, e, maxAbsAt, Math.abs(a[maxAbsAt] - e[maxAbsAt])),
                maxRelAt < 0 ? null : difference(shape, a, e, maxRelAt, relative(a[maxRelAt], e[maxRelAt], tolerance)),
                maxUlp,
                worstAbsFailAt < 0 ? null
                        : difference(shape, a, e, worstAbsFailAt, Math.abs(a[worstAbsFailAt] - e[worstAbsFailAt])),
                worstRelFailAt < 0 ? null
                        : difference(shape, a, e, worstRelFailAt, relative(a[worstRelFailAt], e[worstRelFailAt], tolerance)),
                errorRatio, worstAbsFailAt < 0 ? Double.NaN : tolerance.allowed(worstAbsFailAt, e[worstAbsFailAt]),
                tolerance.summarised(), problem);
    }

    /** {@code |a - e| / |e|} where {@code |e|} is above the floor; 0 for elements judged absolutely. */
    private static double relative(double a, double e, Tolerance tolerance) {
        double magnitude = Math.abs(e);
        return magnitude > tolerance.atol() && magnitude > 0 ? Math.abs(a - e) / magnitude : 0;
    }

    /**
     * How many representable numbers lie between {@code a} and {@code e} in the given precision;
     * the sign-magnitude bit patterns are mapped to a monotone integer line first.
     */
    static double ulpDistance(double a, double e, boolean float32) {
        if (float32) {
            return Math.abs((double) ordinal((float) a) - ordinal((float) e));
        }
        long oa = ordinal(a);
        long oe = ordinal(e);
        try {
            return Math.abs((double) Math.subtractExact(oa, oe));
        } catch (ArithmeticException farApart) {
            return Math.abs((double) oa - (double) oe);
        }
    }

    private static long ordinal(float x) {
        int bits = Float.floatToIntBits(x);
        return bits < 0 ? Integer.MIN_VALUE - (long) bits : bits;
    }

    private static long ordinal(double x) {
        long bits = Double.doubleToLongBits(x);
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
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
