package org.paritysuite.harness.compare;

/**
 * How close two tensors must be: element {@code i} passes when
 * {@code |actual_i - expected_i| <= atol + rtol * |expected_i| + propagated_i} (the rule of
 * PyTorch's {@code assert_close} and NumPy's {@code isclose}, plus an optional per-element term).
 *
 * <p>The per-element {@code propagated} term carries an error that is allowed upstream into this
 * tensor through a known sensitivity: after an optimizer step, the gradient's own tolerance
 * pushed through the update rule ({@code org.paritysuite.harness.training.PropagatedTolerance}). It
 * is absent (null) for every single-pass check.
 *
 * @param rtol       relative tolerance
 * @param atol       absolute tolerance, the floor below which an element is judged absolutely
 * @param propagated per-element allowance added to each element's bound, c-order; null for none
 * @param reason     why these numbers: the precision, error bound or measurement they come from
 */
public record Tolerance(double rtol, double atol, double[] propagated, String reason) {

    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
            throw new IllegalArgumentException("tolerances must be finite and >= 0, found rtol=" + rtol + ", atol=" + atol);
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("every tolerance needs its reason");
        }
    }

    /** A tolerance without a propagated term. */
    public Tolerance(double rtol, double atol, String reason) {
        this(rtol, atol, null, reason);
    }

    /** The largest difference allowed for an element whose expected value is {@code expected}, before propagation. */
    public double allowed(double expected) {
        return atol + rtol * Math.abs(expected);
    }

    /** The largest difference allowed for element {@code i} (c-order), whose expected value is {@code expected}. */
    public double allowed(int i, double expected) {
        return allowed(expected) + (propagated == null ? 0 : propagated[i]);
    }

    /** This tolerance times {@code factor}, the reason saying so; {@code factor == 1} returns this. */
    public Tolerance scaled(double factor) {
        if (factor == 1) {
            return this;
        }
        double[] p = propagated == null ? null : java.util.Arrays.stream(propagated).map(x -> x * factor).toArray();
        return new Tolerance(rtol * factor, atol * factor, p,
                reason + String.format(java.util.Locale.ROOT, "; x%.3g for the steps before (sqrt(t))", factor));
    }

    /** This tolerance plus a per-element propagated allowance, {@code why} appended to the reason. */
    public Tolerance plusPropagated(double[] allowance, String why) {
        if (propagated != null) {
            throw new IllegalStateException("a tolerance takes one propagated term");
        }
        for (double x : allowance) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("a propagated allowance must be finite and >= 0, found " + x);
            }
        }
        return new Tolerance(rtol, atol, allowance.clone(), reason + "; " + why);
    }

    /**
     * This tolerance without its per-element array, the greatest allowance said in the reason: what
     * a comparison keeps once it is done, so that a trajectory of many steps does not hold one
     * array per weight and step.
     */
    public Tolerance summarised() {
        if (propagated == null) {
            return this;
        }
        return new Tolerance(rtol, atol, null, reason + String.format(java.util.Locale.ROOT,
                " (propagated allowance up to %.3g)", maxPropagated()));
    }

    /** The greatest propagated allowance, 0 without one. */
    public double maxPropagated() {
        double max = 0;                          // every allowance is >= 0 (plusPropagated checks)
        if (propagated != null) {
            for (double x : propagated) {
                if (x > max) {
                    max = x;
                }
            }
        }
        return max;
    }

    @Override
    public String toString() {
        return String.format("rtol %.3g, atol %.3g%s (%s)", rtol, atol,
                propagated == null ? "" : String.format(java.util.Locale.ROOT, " + propagated up to %.3g",
                        maxPropagated()), reason);
    }
}
