package org.paritysuite.harness.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.run.TensorCheck;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.tf.TfModel;

/**
 * Trains both sides in lockstep from the same weights on the same minibatches (the shipped
 * training subset, in order, wrapping around) with the same dropout masks, and compares after
 * every step: the loss, the gradients applied, the weights after the update and the optimizer's
 * slots. TensorFlow steps with tensorflow-framework's optimizer, the reference with its
 * hand-written update rule. A float32 trajectory also trains a float64 reference in lockstep,
 * the referee of {@link StepResult#accepted}.
 */
public final class TrajectoryHarness {

    private TrajectoryHarness() {
    }

    /** The comparisons of one step. */
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

        /** The greatest {@code max|w_tf - w_ref| / max|w_ref|} over the trainable weights after this step. */
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
        static boolean accepted(int step, TensorCheck c) {
            return c.passed() || step > 1 && c.blame() != null && !c.blame().verdict().equals("tensorflow");
        }
    }

    /**
     * {@code steps} lockstep steps of {@code spec} on {@code dataset}, in {@code precision}; fewer
     * when the sides part at a ReLU kink ({@link StepResult#partedAtKink}), the last result then
     * being that step.
     */
    public static List<StepResult> run(ModelSpec spec, WeightSet initial, Dataset dataset, Precision precision,
                                       int steps) {
        if (steps < 1) {
            throw new FixtureException("the number of steps must be at least 1, found " + steps);
        }
        Minibatches batches = new Minibatches(spec, ShippedDatasets.load(dataset, Split.TRAIN), dataset.id() + " train");
        String context = spec.name() + " / " + dataset.id() + " / " + precision + " / " + spec.training().optimizer();
        List<StepResult> results = new ArrayList<>();
        PropagatedTolerance propagation = new PropagatedTolerance(spec, initial, precision);
        try (TrainableRunner tf = TfModel.build(spec, initial, precision);
             TrainableRunner ref = ReferenceTrainer.build(spec, initial, precision);
             TrainableRunner referee = precision == Precision.FLOAT32
                     ? ReferenceTrainer.build(spec, initial, Precision.FLOAT64) : null) {
            for (int step = 1; step <= steps; step++) {
                Batch batch = batches.forStep(step);
                Trace tfTrace = tf.step(batch);
                Trace refTrace = ref.step(batch);
                NonFiniteValues.check(context, step, tfTrace, refTrace);
                Trace truth = referee == null ? null : referee.step(batch);
                ParityCase c = new ParityCase(spec, dataset.id(), precision, initial, batch);
                List<TensorCheck> checks = ParityHarness.compare(c, tfTrace, refTrace, truth,
                        StepTolerance.growth(step), propagating(propagation, refTrace));
                StepResult result = new StepResult(step, batch.description(), checks,
                        KinkCrossing.find(spec, tfTrace, refTrace, checks));
                results.add(result);
                if (result.partedAtKink()) {
                    break;                       // later steps compare two different paths
                }
            }
        }
        return results;
    }

    /**
     * The tolerance adjustment of one step: gradients' tolerances are collected as they are set;
     * at the first updated weight, {@link PropagatedTolerance} pushes them through the update
     * rule, and every weight and slot gets its per-element allowance.
     */
    private static ParityHarness.ToleranceAdjustment propagating(PropagatedTolerance propagation, Trace reference) {
        Map<String, Tolerance> gradients = new HashMap<>();
        Map<String, double[]>[] allowances = new Map[1];
        return (tensor, tolerance) -> {
            if (tensor.kind() == TensorKind.GRADIENT) {
                gradients.put(tensor.name(), tolerance);
                return tolerance;
            }
            if (tensor.kind() != TensorKind.WEIGHT) {
                return tolerance;
            }
            if (allowances[0] == null) {
                allowances[0] = propagation.step(reference, gradients);
            }
            double[] allowance = allowances[0].get(tensor.key());
            return allowance == null ? tolerance : tolerance.plusPropagated(allowance, PropagatedTolerance.REASON);
        };
    }
}
