package org.paritysuite.harness.training;

import java.util.List;
import java.util.Optional;
import org.paritysuite.harness.run.Predictions;

/**
 * Everything one lockstep run measured, and its verdict.
 *
 * @param plan        what was trained
 * @param steps       every step, in order
 * @param epochs      epoch 0 (the initial weights) and every epoch after it
 * @param predictions the test images' labels and each side's predicted class at the last evaluation
 *                    (after the last epoch, or epoch 0's when a non-finite value stopped the first)
 * @param verdict     pass, fail or known defect
 * @param knownDefect the known defect of the run's optimizer, if there is one (listed even when it
 *                    did not show)
 * @param detail      what the verdict rests on: the first step and tensor outside tolerance with its
 *                    comparison, the kink the sides parted at, or the known defect; empty for a clean pass
 * @param seconds     wall time of the whole run, evaluations included
 */
public record RunResult(RunPlan plan, List<StepRecord> steps, List<EpochRecord> epochs, Predictions predictions,
                        Verdict verdict, Optional<KnownDefect> knownDefect, String detail, double seconds) {

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
    static RunResult judge(RunPlan plan, List<StepRecord> steps, List<EpochRecord> epochs, Predictions predictions,
                           String outsideMessage, Stop stop, double seconds) {
        Optional<KnownDefect> known = KnownDefect.of(plan.optimizer());
        Optional<StepRecord> firstOutside = steps.stream().filter(s -> !s.withinTolerance()).findFirst();
        Verdict verdict = Verdict.judge(plan.optimizer(), firstOutside.isPresent(), stop);
        String detail = switch (verdict) {
            case DIVERGED, FAIL -> stop != null ? stop.message() : where(firstOutside.get()) + "\n" + outsideMessage;
            case KNOWN_DEFECT -> "known defect: " + where(firstOutside.get()) + "; " + known.get().reason();
            case FIXED -> "the known defect of " + plan.optimizer() + " did not show in these " + steps.size()
                    + " steps; check whether it is fixed: " + known.get().reason();
            case PASS -> "";
        };
        if (verdict == Verdict.PASS) {
            List<String> notes = new java.util.ArrayList<>();
            long kinks = steps.stream().filter(s -> s.kink() != null).count();
            if (kinks > 0) {
                notes.add(kinks + " step(s) with a kink crossing (a ReLU input or a max-pool tie), their gradients excused (first: step "
                        + steps.stream().filter(s -> s.kink() != null).findFirst().orElseThrow().step() + ", "
                        + steps.stream().filter(s -> s.kink() != null).findFirst().orElseThrow().kink() + ")");
            }
            steps.stream().filter(StepRecord::drifted).findFirst().ifPresent(s -> notes.add("the free-running"
                    + " trajectories left the trajectory tolerance of each other from step " + s.step()
                    + " (reported, not judged: every step was checked from TensorFlow's own state)"));
            detail = String.join("; ", notes);
        }
        return new RunResult(plan, steps, epochs, predictions, verdict, known, detail, seconds);
    }
    private static String where(StepRecord s) {
        return "step " + s.step() + " (epoch " + s.epoch() + "): " + s.outside() + " outside tolerance";
    }

    /** Whether the run passes the gate ({@link Verdict#passed()}). */
    public boolean passed() {
        return verdict.passed();
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

    /**
     * The last line of {@code parity train} over these runs: a parity failure outranks a diverged run
     * (the sides disagree, against bad input that both sides diverged on).
     */
    public static String verdictLine(List<RunResult> runs) {
        if (runs.stream().anyMatch(r -> !r.passed() && r.verdict() != Verdict.DIVERGED)) {
            return "TRAINING PARITY FAILED";
        }
        return runs.stream().anyMatch(r -> r.verdict() == Verdict.DIVERGED)
                ? "TRAINING DIVERGED (both sides alike: bad input, not a parity failure)" : "TRAINING PARITY OK";
    }

    /** The state after the last epoch. */
    public EpochRecord last() {
        return epochs.get(epochs.size() - 1);
    }
}
