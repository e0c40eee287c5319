package org.paritysuite.harness.lockstep;

import java.util.List;
import java.util.Optional;
import org.paritysuite.harness.train.KnownDefect;

/**
 * Everything one lockstep run measured, and its verdict.
 *
 * @param plan        what was trained
 * @param steps       every step, in order
 * @param epochs      epoch 0 (the initial weights) and every epoch after it
 * @param verdict     pass, fail or known defect
 * @param knownDefect the known defect of the run's optimizer, if there is one (listed even when it
 *                    did not show)
 * @param refusal     why the TensorFlow side refused the optimizer, or null when it trained
 * @param detail      what the verdict rests on: the first step and tensor outside tolerance with its
 *                    comparison, the refusal, or the known defect; empty for a clean pass
 * @param seconds     wall time of the whole run, evaluations included
 */
public record RunResult(RunPlan plan, List<StepRecord> steps, List<EpochRecord> epochs, Verdict verdict,
                        Optional<KnownDefect> knownDefect, String refusal, String detail, double seconds) {

    public RunResult {
        steps = List.copyOf(steps);
        epochs = List.copyOf(epochs);
    }

    /**
     * Judges a finished run.
     *
     * @param outsideMessage the comparison message of the first tensor outside tolerance, or null
     * @param stop           why training stopped at a non-finite value, or null when it ran to the end
     */
    static RunResult judge(RunPlan plan, List<StepRecord> steps, List<EpochRecord> epochs, String refusal,
                           String outsideMessage, Stop stop, double seconds) {
        Optional<KnownDefect> known = KnownDefect.of(plan.optimizer());
        Optional<StepRecord> firstOutside = steps.stream().filter(s -> !s.withinTolerance()).findFirst();
        Verdict verdict;
        String detail;
        if (stop != null) {
            verdict = stop.bothSides() ? Verdict.DIVERGED : Verdict.FAIL;
            detail = stop.message();
        } else if (refusal != null) {
            boolean expected = known.isPresent() && known.get().refused();
            verdict = expected ? Verdict.KNOWN_DEFECT : Verdict.FAIL;
            detail = "the TensorFlow side refused " + plan.optimizer() + (expected ? " (known defect)" : " (no known"
                    + " defect says it should)") + ": " + refusal + "; the reference trained alone, nothing was compared";
        } else if (firstOutside.isPresent()) {
            StepRecord s = firstOutside.get();
            String where = "step " + s.step() + " (epoch " + s.epoch() + "): " + s.outside() + " outside tolerance";
            boolean expected = known.isPresent() && !known.get().refused();
            verdict = expected ? Verdict.KNOWN_DEFECT : Verdict.FAIL;
            detail = expected ? "known defect: " + where + "; " + known.get().reason() : where + "\n" + outsideMessage;
        } else {
            verdict = Verdict.PASS;
            detail = known.map(k -> "the known defect of " + plan.optimizer() + " did not show in these "
                    + steps.size() + " steps; check whether it is fixed: " + k.reason()).orElse("");
        }
        return new RunResult(plan, steps, epochs, verdict, known, refusal, detail, seconds);
    }

    /**
     * Why a run stopped before its end: a non-finite value ({@code NonFiniteValues}).
     *
     * @param message   the step, the tensor and the side
     * @param bothSides true when both sides (or the reference training alone) went non-finite
     */
    public record Stop(String message, boolean bothSides) {
    }

    /** The first step with a tensor outside its tolerance. */
    public Optional<StepRecord> firstStepOutside() {
        return steps.stream().filter(s -> !s.withinTolerance()).findFirst();
    }

    /** The worst share of tolerance any step used (NaN when nothing was compared). */
    public double worstToleranceUsed() {
        return steps.stream().mapToDouble(StepRecord::toleranceUsed).filter(d -> !Double.isNaN(d)).max()
                .orElse(Double.NaN);
    }

    /** The state after the last epoch. */
    public EpochRecord last() {
        return epochs.get(epochs.size() - 1);
    }

    /** Whether the TensorFlow side trained (it did not refuse the optimizer). */
    public boolean tensorflowTrained() {
        return refusal == null;
    }
}
