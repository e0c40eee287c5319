package org.paritysuite.harness.lockstep;

/** How a lockstep run ended, judged against the known TensorFlow-side defects. */
public enum Verdict {
    /** Every step of the run stayed within its tolerance. */
    PASS("PASS"),
    /** A step left the tolerance, or only one side produced a non-finite value. */
    FAIL("FAIL"),
    /** A known TensorFlow-side defect that should have shown did not: check it and remove it; a failure. */
    FIXED("FIXED?"),
    /** The sides differ exactly as a known TensorFlow-side defect says they do: reported, not a failure. */
    KNOWN_DEFECT("KNOWN DEFECT"),
    /**
     * Both sides produced non-finite values at the same step: the training itself diverged (a
     * learning rate too large), which the sides agree on; bad input, as {@code NonFiniteValues} says.
     */
    DIVERGED("DIVERGED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The verdict as printed. */
    public String label() {
        return label;
    }
}
