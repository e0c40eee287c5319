package org.paritysuite.harness.training;

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

    /**
     * The one judge of a training run, for {@code parity verify}'s trajectories and
     * {@code parity train}'s runs alike.
     *
     * @param optimizer   the run's optimizer type, whose known defect (if any) is taken into account
     * @param stepOutside whether some step had a judged tensor outside its tolerance
     * @param stop        why the run stopped at a non-finite value, or null when it ran to the end
     */
    public static Verdict judge(String optimizer, boolean stepOutside, RunResult.Stop stop) {
        if (stop != null) {
            return stop.bothSides() ? DIVERGED : FAIL;
        }
        boolean diverges = KnownDefect.of(optimizer).filter(d -> d.handling() == KnownDefect.Handling.DIVERGES)
                .isPresent();
        if (diverges) {
            return stepOutside ? KNOWN_DEFECT : FIXED;
        }
        return stepOutside ? FAIL : PASS;
    }

    /**
     * Whether the run passes the gate: a clean pass, or a known defect that showed as it should.
     * What the JSON's {@code passed} says and what the exit status follows.
     */
    public boolean passed() {
        return this == PASS || this == KNOWN_DEFECT;
    }

    /** The verdict as printed. */
    public String label() {
        return label;
    }
}
