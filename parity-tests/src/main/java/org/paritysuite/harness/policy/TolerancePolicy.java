package org.paritysuite.harness.policy;

import org.paritysuite.fixtures.Doubles;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.compare.TolerancePlan;

/**
 * The tolerance every parity check applies, with its reason. Nothing here is tuned to make a test
 * pass; each number comes from the argument written beside it.
 *
 * <p><b>float64.</b> Both sides must compute the same function, so the only differences left are
 * rounding differences of order {@code K u} with {@code u = 2^-53} (about {@code 1e-13} for the
 * zoo's longest paths): {@code rtol = 1e-10} leaves three orders of magnitude for conditioning
 * and is the requirement.
 *
 * <p><b>float32.</b> The rounding error of a {@code K}-term float32 sum grows like
 * {@code sqrt(K) u sum|w_i x_i|} ({@code u = 2^-24}, random-walk model of rounding; Higham,
 * <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., section 2.8). Two independent
 * implementations each carry such an error, and an element passes a nonlinearity whose condition
 * number is near 1 for the zoo's activations, so {@code rtol = 8 sqrt(K) u}: a factor 2 for the
 * two sides and 4 of margin. {@code K} is the summed dot-product length of the tensor's path
 * ({@link DotProductLengths}).
 *
 * <p><b>The absolute floor</b> is {@code rtol * max|expected|} in both precisions: an element
 * that is small because its terms cancel carries the rounding error of its terms, not of itself;
 * the tensor's largest element stands for the size of those terms.
 */
public final class TolerancePolicy {

    /** float64 relative tolerance: the two sides compute the same function. */
    public static final double FLOAT64_RTOL = 1e-10;

    /** float32: 2 sides x 4 margin on the random-walk bound {@code sqrt(K) u}. */
    public static final double FLOAT32_SAFETY = 8;

    private TolerancePolicy() {
    }

    /** The plan of one case: every tensor of {@code spec} at batch size {@code batchSize}, in {@code precision}. */
    public static TolerancePlan plan(ModelSpec spec, int batchSize, Precision precision) {
        DotProductLengths lengths = new DotProductLengths(spec, batchSize);
        return expected -> forTensor(expected, expected.value(), precision, lengths);
    }

    /** The tolerance for comparing this tensor, whose expected value is {@code expected}. */
    public static Tolerance forTensor(NamedTensor tensor, INDArray expected, Precision precision,
                                      DotProductLengths lengths) {
        return forPath(precision == Precision.FLOAT64 ? 0 : lengths.of(tensor.kind(), tensor.name()), expected,
                precision);
    }

    /**
     * The tolerance for comparing the gradient of the loss with respect to {@code layer}'s input,
     * whose expected value is {@code expected}: the same rule, with that gradient's path
     * ({@link DotProductLengths#inputGradient}). Not traced; per-layer isolation compares these.
     */
    public static Tolerance forInputGradient(String layer, INDArray expected, Precision precision,
                                             DotProductLengths lengths) {
        return forPath(precision == Precision.FLOAT64 ? 0 : lengths.inputGradient(layer), expected, precision);
    }

    /** The rule for a tensor whose path sums {@code k} terms (unused in float64). */
    private static Tolerance forPath(long k, INDArray expected, Precision precision) {
        double scale = largestFiniteMagnitude(expected);
        if (precision == Precision.FLOAT64) {
            return new Tolerance(FLOAT64_RTOL, FLOAT64_RTOL * scale,
                    "float64: same function on both sides, rtol 1e-10; floor rtol*max|expected|");
        }
        double rtol = FLOAT32_SAFETY * Math.sqrt(k) * precision.unitRoundoff();
        return new Tolerance(rtol, rtol * scale, String.format(Locale.ROOT,
                "float32: 8*sqrt(K)*u with K=%d summed terms on the path, u=2^-24; floor rtol*max|expected|", k));
    }

    /**
     * The tolerance for comparing a side's {@code output} with predictions saved from Keras: the
     * float32 tolerance of that output whatever the case's precision, because Keras computed and
     * saved its predictions in float32, so they carry float32 rounding however exact the side is.
     */
    public static Tolerance forKeras(ModelSpec spec, NamedTensor output, INDArray keras) {
        Tolerance t = forTensor(output, keras, Precision.FLOAT32, new DotProductLengths(spec, (int) keras.size(0)));
        return new Tolerance(t.rtol(), t.atol(), "Keras predictions are float32, so the output's float32 tolerance: "
                + t.reason());
    }

    /**
     * {@code max|expected|} over the finite elements: a NaN or infinity fails the comparison on its
     * own (the comparator never matches one), so it must not make the floor itself NaN.
     */
    private static double largestFiniteMagnitude(INDArray expected) {
        if (expected.length() == 0) {
            return 0;
        }
        double max = expected.amaxNumber().doubleValue();
        if (Double.isFinite(max)) {
            return max;
        }
        max = 0;
        for (double x : Doubles.of(expected)) {
            if (Double.isFinite(x)) {
                max = Math.max(max, Math.abs(x));
            }
        }
        return max;
    }
}
