package org.paritysuite.harness.train;

import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.run.TensorCheck;

/**
 * The comparisons of one lockstep step, and how they are judged.
 *
 * @param step         the step, from 1
 * @param batch        the batch's description
 * @param checks       every tensor of the step compared, in trace order
 * @param kinkCrossing a ReLU unit on different sides of its kink, if any ({@link KinkCrossing})
 */
public record StepResult(int step, String batch, List<TensorCheck> checks, Optional<String> kinkCrossing) {

    /**
     * Whether this step fails only where a ReLU kink crossing explains it: every forward check
     * (activations, output, loss) accepted, some check after them not, and a unit on different
     * sides of its kink ({@link KinkCrossing}). The trajectories part here.
     */
    public boolean partedAtKink() {
        return !passed() && kinkCrossing.isPresent() && checks.stream()
                .filter(c -> c.kind() == TensorKind.ACTIVATION || c.kind() == TensorKind.PROBS
                        || c.kind() == TensorKind.LOSS)
                .allMatch(c -> accepted(step, c));
    }

    /** Whether every tensor of this step is within its tolerance or cleared by the referee. */
    public boolean passed() {
        return checks.stream().allMatch(c -> accepted(step, c));
    }

    /**
     * The greatest {@code max|w_tf - w_ref| / max|w_ref|} over the trainable weights after this
     * step ({@code max|w_ref|} is the policy's floor {@code atol} over its {@code rtol}).
     */
    public double weightDivergence(ModelSpec spec) {
        java.util.Set<String> trainable = new java.util.HashSet<>();
        spec.parameters().stream().filter(p -> p.trainable()).forEach(p -> trainable.add(p.name()));
        return checks.stream().filter(c -> c.kind() == TensorKind.WEIGHT && trainable.contains(c.tensor()))
                .mapToDouble(c -> c.comparison().maxAbsError() / c.comparison().tolerance().atol()
                        * c.comparison().tolerance().rtol()).max().orElse(Double.NaN);
    }

    /** The checks outside their tolerance that the float64 referee cleared. */
    public long refereeCleared() {
        return checks.stream().filter(c -> !c.passed() && accepted(step, c)).count();
    }

    /**
     * A check passes within its tolerance; from step 2 on, a float32 check outside it also
     * passes when the float64 referee trajectory shows TensorFlow no further from it than
     * {@link org.paritysuite.harness.run.Blame#MARGIN} times the float32 reference. From step
     * 2 the two float32 sides start from weights that differ by their legitimate rounding,
     * and a deep network (batch normalization dividing by small deviations, many layers) can
     * amplify that beyond any fixed per-step bound; the float64 trajectory is the truth both
     * float32 trajectories approximate, and a TensorFlow defect shows as TensorFlow alone
     * leaving it. Step 1 starts from identical weights and is judged by the tolerance alone.
     */
    public static boolean accepted(int step, TensorCheck c) {
        return c.passed() || step > 1 && c.blame() != null && !c.blame().verdict().equals("tensorflow");
    }
}
