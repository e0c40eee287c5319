package org.paritysuite.harness.baseline;

import java.util.Locale;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.TensorKind;

/**
 * How much an error may grow over its baseline before the gate fails, and which errors are gated.
 *
 * <p>The current scaled error ({@code max|tf - ref| / max|ref|}) may be at most {@link #FACTOR}
 * times the larger of the baseline's and a noise floor of {@link #FLOOR_ROUNDINGS} roundings
 * ({@code u} of the precision). Why these numbers (measurements in docs/baselines.md):
 * <ul>
 *   <li>Run to run on one machine the errors are identical: every TensorFlow session is
 *       single-threaded and deterministic, the reference is sequential; any growth at all is a
 *       change in the code, the data or a library.</li>
 *   <li>On another CPU the libraries pick other kernels that sum in another order. Forcing
 *       OpenBLAS's SkylakeX, Sandybridge and Prescott kernels on the main job (this machine's are
 *       its Haswell ones) moved gated errors by at most {@value #MEASURED_CROSS_CPU_GROWTH}x above
 *       the floor (a float32 softmax; float64 at most 2.58x). {@link #FACTOR} is above that and
 *       below 4, so a 4x growth fails.</li>
 *   <li>Below the floor an error is a handful of roundings of the tensor's largest element, where
 *       one rounding more or less is already a large ratio; such an error says nothing of drift.</li>
 * </ul>
 *
 * <p>Gated: every float64 tensor and float64 trajectory step, and float32 forward tensors
 * (activations, output, loss). Reported only: float32 gradients, weights and trajectory steps,
 * and every trajectory's free-running drift. A ReLU unit within float32 rounding of 0 falls on the
 * other side of its kink when the sums run in another order, and then one example's gradient flows
 * through it on one side only: under the Sandybridge and Prescott kernels ds541-cnn-a's
 * conv2d/kernel gradient went from 9.4 to 16,755 roundings (and out of its tolerance: a known
 * difference, docs/baselines.md). A defect in a backward formula shows in
 * float64, where both sides compute the same function and no unit sits that close to its kink.
 */
public final class GrowthRule {

    /** The largest growth over the baseline (above the floor) that is still noise. */
    public static final double FACTOR = 3;

    /** Errors up to this many roundings of the tensor's scale are noise whatever their baseline. */
    public static final double FLOOR_ROUNDINGS = 4;

    /** The greatest growth of a gated error measured across OpenBLAS's kernel families (docs/baselines.md). */
    static final double MEASURED_CROSS_CPU_GROWTH = 2.67;

    private GrowthRule() {
    }

    /** Whether a tensor of this kind and precision is gated (else reported only). */
    public static boolean gates(TensorKind kind, Precision precision) {
        return precision == Precision.FLOAT64
                || kind == TensorKind.ACTIVATION || kind == TensorKind.PROBS || kind == TensorKind.LOSS;
    }

    /** Whether a trajectory step's judged error in this precision is gated (else reported only). */
    public static boolean gatesSteps(Precision precision) {
        return precision == Precision.FLOAT64;
    }

    /** The greatest scaled error allowed where the baseline measured {@code baseline}. */
    public static double allowed(double baseline, Precision precision) {
        return FACTOR * reference(baseline, precision);
    }

    /** What growth is measured against: the baseline, or the noise floor where that is larger. */
    public static double reference(double baseline, Precision precision) {
        return Math.max(baseline, FLOOR_ROUNDINGS * precision.unitRoundoff());
    }

    /** The rule in words, for reports. */
    public static String describe() {
        return String.format(Locale.ROOT, "an error may grow to %sx its baseline, or to %sx a floor of %s"
                + " roundings of the tensor's largest element; gated: float64, and float32 forward tensors",
                plain(FACTOR), plain(FACTOR), plain(FLOOR_ROUNDINGS));
    }

    /** A number without trailing zeros: {@code 3}, not {@code 3.00}. */
    static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
