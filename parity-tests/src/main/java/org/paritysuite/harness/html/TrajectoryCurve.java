package org.paritysuite.harness.html;

import java.util.List;
import org.paritysuite.harness.training.RunResult;
import org.paritysuite.harness.training.StepLosses;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * One lockstep trajectory as the report draws it, whichever command trained it: both sides' loss
 * per step and the verdict.
 *
 * @param name    what was trained, short ({@code ist597-mlp / fashion-mnist / adam / float32 / 20 steps}, a
 *                training run's name)
 * @param context the rest of what was trained, for a caption (a training run's plan); may be empty
 * @param verdict the verdict's label ({@code PASS}, {@code KNOWN DEFECT}, ...)
 * @param passed  whether it passes the gate
 * @param detail  what the verdict rests on; empty for a clean pass
 * @param steps   every step's losses, in order
 */
public record TrajectoryCurve(String name, String context, String verdict, boolean passed, String detail, List<StepLosses> steps) {

    public TrajectoryCurve {
        steps = List.copyOf(steps);
    }

    /** A trajectory of {@code parity verify}. */
    public static TrajectoryCurve of(TrajectoryCase.Outcome outcome) {
        return new TrajectoryCurve(outcome.trajectory().toString(), "", outcome.verdict().label(), outcome.passed(),
                outcome.detail(), outcome.losses());
    }

    /** A run of {@code parity train}. */
    public static TrajectoryCurve of(RunResult run) {
        return new TrajectoryCurve("run '" + run.plan().name() + "'", run.plan().describe(), run.verdict().label(),
                run.passed(), run.detail(), run.steps().stream().map(StepLosses::of).toList());
    }
}
