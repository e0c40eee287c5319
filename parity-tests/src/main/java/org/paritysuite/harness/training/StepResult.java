package org.paritysuite.harness.training;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.paritysuite.harness.compare.KinkCrossing;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.compare.TensorCheck;

/**
 * One lockstep step, compared twice (see {@link Lockstep}).
 *
 * <p>{@code checks} are judged: TensorFlow's step against the reference computed from
 * TensorFlow's own state before the step (its weights, moving statistics and, for the update,
 * its gradient and slot history), so every step is a single-pass comparison at identical inputs
 * under the single-pass policy, however far the two trajectories have drifted. {@code drift}
 * is reported, not judged: TensorFlow's step against the free-running reference, which has
 * trained on its own from the same initial weights, under the trajectory tolerance
 * ({@link StepTolerance}, {@link PropagatedTolerance}), with the float64 referee's blame in float32.
 *
 * @param step             the step, from 1
 * @param batch            the batch's description
 * @param tensorflowLoss   TensorFlow's training loss on the batch, before the update
 * @param referenceLoss    the free-running reference's training loss on the batch, before the update
 * @param tensorflowMillis wall time of TensorFlow's step, ms
 * @param referenceMillis  wall time of the free-running reference's step, ms
 * @param checks       the judged comparisons, in trace order
 * @param drift        the free-running comparisons, in trace order
 * @param notCompared      the tensors only TensorFlow traced in its step (keys), which nothing judged
 * @param kinkCrossing a ReLU unit on different sides of its kink in the judged comparison, if any
 *                     ({@link KinkCrossing})
 */
public record StepResult(int step, String batch, double tensorflowLoss, double referenceLoss, double tensorflowMillis,
                         double referenceMillis, List<TensorCheck> checks, List<TensorCheck> drift,
                         List<String> notCompared, Optional<String> kinkCrossing) {

    public StepResult {
        checks = List.copyOf(checks);
        drift = List.copyOf(drift);
        notCompared = List.copyOf(notCompared);
    }

    /** The first judged check outside its tolerance that no kink crossing excuses, if any. */
    public Optional<TensorCheck> firstOutside() {
        return checks.stream().filter(c -> !c.passed() && !excusedByKink(c)).findFirst();
    }

    /** The worst share of its tolerance any judged check within it used (NaN when none is). */
    public double toleranceUsed() {
        return checks.stream().filter(TensorCheck::passed).mapToDouble(c -> c.comparison().errorRatio()).max()
                .orElse(Double.NaN);
    }

    /**
     * Whether TensorFlow's step is right: every judged check within its tolerance, except, at a
     * kink crossing, gradients whose forward pass agreed (one example's gradient went through the
     * unit on one side only; the update is still checked, fed TensorFlow's gradient).
     */
    public boolean passed() {
        return checks.stream().allMatch(c -> c.passed() || excusedByKink(c));
    }

    /** Whether a failing check is a gradient explained by this step's kink crossing. */
    public boolean excusedByKink(TensorCheck c) {
        return KinkCrossing.excuses(kinkCrossing, c, checks);
    }

    /** Whether a kink crossing excused some gradient of this step. */
    public boolean kinkExcused() {
        return checks.stream().anyMatch(this::excusedByKink);
    }

    /** Whether the free-running trajectories are still within the trajectory tolerance of each other. */
    public boolean withinDrift() {
        return drift.stream().allMatch(TensorCheck::passed);
    }

    /**
     * How far the free-running trajectories have parted after this step: the greatest
     * {@code max|w_tf - w_ref| / max|w_ref|} over the trainable weights ({@code max|w_ref|} is
     * the policy's floor {@code atol} over its {@code rtol}).
     */
    public double weightDivergence(ModelSpec spec) {
        Set<String> trainable = new HashSet<>();
        spec.parameters().stream().filter(p -> p.trainable()).forEach(p -> trainable.add(p.name()));
        return drift.stream().filter(c -> c.kind() == TensorKind.WEIGHT && trainable.contains(c.tensor()))
                .mapToDouble(c -> c.comparison().maxAbsError() / c.comparison().tolerance().atol()
                        * c.comparison().tolerance().rtol()).max().orElse(Double.NaN);
    }
}
