package org.paritysuite.harness.baseline;

import java.util.Locale;
import org.paritysuite.fixtures.Precision;

/**
 * One measured error beside its baseline: a tensor of a case, or a step of a trajectory.
 *
 * @param id        the case's or trajectory's id
 * @param what      the tensor's key ({@code gradient/dense/kernel}) or {@code step N}
 * @param precision the precision, which sets the noise floor
 * @param baseline  the baseline's scaled error; NaN when the baseline has none (a failure)
 * @param current   this run's scaled error; NaN when this run measured none (a failure)
 * @param gated     whether the {@link GrowthRule} gates it ({@link GrowthRule#gates}); else it is reported only
 */
public record Growth(String id, String what, Precision precision, double baseline, double current, boolean gated) {

    /** {@code current} over what growth is measured against ({@link GrowthRule#reference}). */
    public double ratio() {
        return current / GrowthRule.reference(baseline, precision);
    }

    /** Whether the error stayed within {@link GrowthRule}, or is not gated; a gated NaN never passes. */
    public boolean passed() {
        return !gated || grewWithinRule();
    }

    /** Whether the error stayed within the rule's growth, gated or not. */
    public boolean grewWithinRule() {
        return current <= GrowthRule.allowed(baseline, precision);
    }

    /** One line for the report, e.g. {@code ist597-mlp/mnist/float64/training gradient/dense/kernel: ...}. */
    public String describe() {
        if (Double.isNaN(baseline)) {
            return id + " " + what + ": not in the baseline (record a new one)";
        }
        if (Double.isNaN(current)) {
            return id + " " + what + ": in the baseline, not measured in this run";
        }
        double u = precision.unitRoundoff();
        return String.format(Locale.ROOT, "%s %s: error %.3g (%.1f roundings of its scale), baseline %.3g (%.1f): "
                        + "%.2fx%s", id, what, current, current / u, baseline, baseline / u, ratio(),
                grewWithinRule() ? "" : String.format(Locale.ROOT, ", more than the %sx %s", GrowthRule.plain(GrowthRule.FACTOR),
                        gated ? "allowed" : "the gate would allow (reported, not gated)"));
    }
}
