package org.paritysuite.harness.compare;

import java.util.Locale;

/**
 * The outcome of comparing two tensors element by element.
 *
 * <p>{@code maxAbs} and {@code maxRel} describe all elements and feed the report;
 * {@code worstAbsFailure} and {@code worstRelFailure} describe only the failing elements and feed
 * the failure message, as in PyTorch's {@code assert_close}. The relative difference of an element
 * is {@code |a - e| / |e|}, taken only where {@code |e|} is above the absolute floor {@code atol}
 * (elements below it are judged absolutely).
 *
 * @param label           what was compared, e.g. {@code dense_1/kernel gradient, float32}
 * @param shape           the tensors' shape
 * @param elements        number of elements
 * @param mismatched      number of elements outside the tolerance
 * @param maxAbs          the greatest absolute difference over all elements
 * @param maxRel          the greatest relative difference over elements above the floor
 * @param maxUlp          the greatest distance in units in the last place of the compared precision
 * @param scale           the tensor's scale, {@code max|expected|}; NaN when the comparison failed as a whole
 * @param worstAbsFailure the failing element with the greatest absolute difference, or null
 * @param worstRelFailure the failing element with the greatest relative difference, or null
 * @param errorRatio      the greatest {@code |a - e| / (atol + rtol |e|)}: above 1 fails
 * @param worstAbsAllowed the difference allowed at {@code worstAbsFailure}, propagation included; NaN without one
 * @param tolerance       the tolerance applied ({@link Tolerance#summarised()}: without a per-element array)
 * @param problem         why the comparison failed as a whole (nothing compared, NaN, shape), or null
 */
public record TensorComparison(String label, long[] shape, long elements, long mismatched,
                               ElementDifference maxAbs, ElementDifference maxRel, double maxUlp, double scale,
                               ElementDifference worstAbsFailure, ElementDifference worstRelFailure,
                               double errorRatio, double worstAbsAllowed, Tolerance tolerance, String problem) {

    /** A comparison that failed as a whole, for the reason {@code problem}. */
    public static TensorComparison failed(String label, long[] shape, long elements, Tolerance tolerance, String problem) {
        return new TensorComparison(label, shape, elements, elements, null, null, Double.NaN, Double.NaN, null, null,
                Double.POSITIVE_INFINITY, Double.NaN, tolerance.summarised(), problem);
    }

    /** True when every element is within tolerance and the comparison compared something. */
    public boolean passed() {
        return problem == null && mismatched == 0;
    }

    /** False when the comparison failed because the shapes differ. */
    public boolean shapesMatch() {
        return problem == null || !problem.startsWith("Shapes differ");
    }

    /** The greatest absolute difference, or NaN when nothing was compared. */
    public double maxAbsError() {
        return maxAbs == null ? Double.NaN : maxAbs.value();
    }

    /**
     * The greatest absolute difference relative to the tensor's scale, {@code maxAbs / max|expected|}:
     * the error measure of error baselines, comparable across tensors of any size and precision
     * ({@code u} is one rounding of the largest element), and unlike {@code maxRel} not inflated by
     * small elements. 0 for two all-zero tensors; NaN when nothing was compared.
     */
    public double scaledError() {
        if (maxAbs == null) {
            return Double.NaN;
        }
        return maxAbs.value() == 0 ? 0 : maxAbs.value() / scale;
    }

    /** The greatest relative difference, 0 when every element is under the floor. */
    public double maxRelError() {
        return maxRel == null ? 0 : maxRel.value();
    }

    /** A message in the style of PyTorch's {@code assert_close}. */
    public String message() {
        if (passed()) {
            return String.format(Locale.ROOT, "Tensors are close.  (%s)%nGreatest absolute difference: %.4g, "
                    + "greatest relative difference: %.4g (%s)", label, maxAbsError(), maxRelError(), tolerance);
        }
        if (problem != null) {
            return "Tensors are not close!  (" + label + ")\n" + problem;
        }
        StringBuilder s = new StringBuilder();
        s.append("Tensors are not close!  (").append(label).append(")\n");
        s.append(String.format(Locale.ROOT, "Mismatched elements: %d / %d (%.1f%%)%n",
                mismatched, elements, 100.0 * mismatched / elements));
        s.append(String.format(Locale.ROOT, "Greatest absolute difference: %.4g at index %s (up to %.3g allowed%s)"
                        + " [actual %.17g, expected %.17g]%n",
                worstAbsFailure.value(), worstAbsFailure.indexText(), tolerance.atol(),
                worstAbsAllowed > tolerance.allowed(worstAbsFailure.expected())
                        ? String.format(Locale.ROOT, ", %.3g with propagation there", worstAbsAllowed) : "",
                worstAbsFailure.actual(), worstAbsFailure.expected()));
        if (worstRelFailure != null) {
            s.append(String.format(Locale.ROOT, "Greatest relative difference: %.4g at index %s (up to %.3g allowed)"
                            + " [actual %.17g, expected %.17g]%n",
                    worstRelFailure.value(), worstRelFailure.indexText(), tolerance.rtol(),
                    worstRelFailure.actual(), worstRelFailure.expected()));
        }
        s.append("Tolerance: ").append(tolerance.reason());
        return s.toString();
    }
}
