package org.paritysuite.harness.training;

import java.util.List;
import java.util.Optional;
import org.paritysuite.harness.wiring.Sides;

/**
 * The known places where TensorFlow Java departs from its documentation or from the published
 * algorithm. The reference never copies them; {@code parity verify} lists each in every report
 * with whether it still reproduces, and fails when one no longer does (so the entry, and any
 * workaround, is removed the day TensorFlow Java fixes it). Evidence: {@code docs/tensorflow-side.md},
 * "Optimizer steps"; pinned by {@code KnownDivergencesTest} and tf-models' {@code TfModelStepTest}.
 *
 * @param optimizer  the optimizer concerned
 * @param handling   what the suite does about it
 * @param reason     what TensorFlow Java does and how it departs
 * @param reproducer how the suite shows it, in words
 */
public record KnownDefect(String optimizer, Handling handling, String reason, String reproducer) {

    /** What the suite does about a defect. */
    public enum Handling {
        /**
         * The TensorFlow side composes the same TensorFlow kernel without the defect, so its
         * trajectories are judged like any other; the defect itself is checked by a live reproducer.
         */
        WORKED_AROUND("worked around"),
        /** The TensorFlow side runs it as it is; its trajectories are expected to part from the reference. */
        DIVERGES("diverges");

        private final String label;

        Handling(String label) {
            this.label = label;
        }

        /** The word in reports. */
        public String label() {
            return label;
        }
    }

    /** Every known defect. */
    public static final List<KnownDefect> ALL = List.of(
            new KnownDefect("adam", Handling.WORKED_AROUND, "tensorflow-framework's Adam (1.0.0 and 1.1.0) advances"
                    + " beta1_power/beta2_power in the same session run as ApplyAdam reads them, with no data or"
                    + " control edge between the two: the first step's bias correction varied between runs (0.744x"
                    + " and 0.526x the documented update observed). The TensorFlow side runs ApplyAdam through"
                    + " OrderedAdam, which adds the ordering Python TensorFlow has and changes nothing else",
                    "the graph tensorflow-framework's Adam builds has no path from the beta1_power Assign to"
                    + " ApplyAdam (FrameworkAdamRace)"),
            new KnownDefect("nadam", Handling.DIVERGES, "tensorflow-framework's Nadam (1.0.0 and 1.1.0) freezes its step counter"
                    + " when the graph is built: every run uses the t = 1 schedule and v / (1 - beta2); the"
                    + " reference follows the published algorithm (Dozat 2016), so the trajectories part: slightly"
                    + " at step 1 (its float32 schedule constants), widely from step 2",
                    "every nadam trajectory fails its judged steps: step 1 in float64 (the float32 schedule constants), step 2 in"
                    + " float32 (the frozen schedule)"));

    /** The known defect of an optimizer, if any. */
    public static Optional<KnownDefect> of(String optimizer) {
        return ALL.stream().filter(d -> d.optimizer().equals(optimizer)).findFirst();
    }

    /**
     * For a worked-around defect, whether it still reproduces, checked now by the live reproducer
     * {@code sides} name for it; empty for a diverging one, which its own trajectories show.
     */
    public Optional<Boolean> reproducesNow(Sides sides) {
        return sides.reproducer(optimizer).map(r -> r.getAsBoolean());
    }
}
