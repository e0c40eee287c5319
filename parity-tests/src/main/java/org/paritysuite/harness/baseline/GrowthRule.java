package org.paritysuite.harness.baseline;

import org.paritysuite.fixtures.Precision;

/**
 * How much an error may grow over its baseline before the gate fails: the current scaled error
 * ({@code max|tf - ref| / max|ref|}) may be at most {@link #FACTOR} times the larger of the
 * baseline's and a noise floor of {@link #FLOOR_ROUNDINGS} roundings ({@code u} of the precision).
 *
 * <p>Why these numbers (measurements in docs/baselines.md):
 * <ul>
 *   <li>Run to run on one machine the errors are identical: every TensorFlow session is
 *       single-threaded and deterministic ({@code TF_DETERMINISTIC_OPS}), the reference is
 *       sequential, so any growth at all is a change in the code, the data or a library.</li>
 *   <li>Across CPUs, the libraries pick other kernels (OpenBLAS per CPU family), which sum in
 *       another order. Forcing OpenBLAS's older kernels on the whole zoo moved no tensor's error by
 *       more than {@value #MEASURED_CROSS_CPU_GROWTH}x above the floor; {@link #FACTOR} leaves a
 *       margin over that and still catches a 4x growth.</li>
 *   <li>Below the floor an error is a handful of roundings of the tensor's largest element, where
 *       one rounding more or less is already a large ratio: such errors say nothing about drift and
 *       are never failed.</li>
 * </ul>
 */
public final class GrowthRule {

    /** The largest growth over the baseline (above the floor) that is still noise. */
    public static final double FACTOR = 2;

    /** Errors up to this many roundings of the tensor's scale are noise whatever their baseline. */
    public static final double FLOOR_ROUNDINGS = 8;

    /** The greatest growth measured across OpenBLAS's kernel families (docs/baselines.md). */
    static final double MEASURED_CROSS_CPU_GROWTH = 1.0;

    private GrowthRule() {
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
        return String.format(java.util.Locale.ROOT, "an error may grow to %.3gx its baseline, or %.3gx a floor of %.3g"
                + " roundings of the tensor's largest element where the baseline is below it", FACTOR, FACTOR,
                FLOOR_ROUNDINGS);
    }
}
