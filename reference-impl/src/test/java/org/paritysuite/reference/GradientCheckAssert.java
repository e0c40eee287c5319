package org.paritysuite.reference;

import org.assertj.core.api.AbstractAssert;
import org.paritysuite.fixtures.gradcheck.GradientCheckResult;

/** AssertJ assertions on a {@link GradientCheckResult} of the shared checker. */
final class GradientCheckAssert extends AbstractAssert<GradientCheckAssert, GradientCheckResult> {

    private GradientCheckAssert(GradientCheckResult actual) {
        super(actual, GradientCheckAssert.class);
    }

    static GradientCheckAssert assertThat(GradientCheckResult actual) {
        return new GradientCheckAssert(actual);
    }

    /** Something was compared and every compared element agrees (the result's explanation otherwise). */
    GradientCheckAssert passes() {
        isNotNull();
        if (!actual.passed()) {
            failWithMessage("%s", actual.explain());
        }
        return this;
    }

    /** The check failed: a mismatch, or nothing compared. */
    GradientCheckAssert fails() {
        isNotNull();
        if (actual.passed()) {
            failWithMessage("expected the gradient check to fail, but it passed:%n%s", actual.explain());
        }
        return this;
    }

    /** Exactly {@code expected} elements (or projections) were skipped at kinks. */
    GradientCheckAssert skippedAtKinks(long expected) {
        isNotNull();
        if (actual.skippedAtKinks() != expected) {
            failWithMessage("%s: expected %d elements skipped at kinks, found %d%n%s", actual.name(), expected,
                    actual.skippedAtKinks(), actual.logLine());
        }
        return this;
    }
}
