package org.paritysuite.harness.train;

import java.util.ArrayList;
import java.util.List;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.Trace;
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
 * hand-written update rule.
 */
public final class TrajectoryHarness {

    private TrajectoryHarness() {
    }

    /** The comparisons of one step. */
    public record StepResult(int step, String batch, List<TensorCheck> checks) {

        /** Whether every tensor of this step is within its tolerance. */
        public boolean passed() {
            return checks.stream().allMatch(TensorCheck::passed);
        }
    }

    /** {@code steps} lockstep steps of {@code spec} on {@code dataset}, in {@code precision}. */
    public static List<StepResult> run(ModelSpec spec, WeightSet initial, Dataset dataset, Precision precision,
                                       int steps) {
        if (steps < 1) {
            throw new FixtureException("the number of steps must be at least 1, found " + steps);
        }
        Minibatches batches = new Minibatches(spec, ShippedDatasets.load(dataset, Split.TRAIN), dataset.id() + " train");
        String context = spec.name() + " / " + dataset.id() + " / " + precision + " / " + spec.training().optimizer();
        List<StepResult> results = new ArrayList<>();
        try (TrainableRunner tf = TfModel.build(spec, initial, precision);
             TrainableRunner ref = ReferenceTrainer.build(spec, initial, precision)) {
            for (int step = 1; step <= steps; step++) {
                Batch batch = batches.forStep(step);
                Trace tfTrace = tf.step(batch);
                Trace refTrace = ref.step(batch);
                NonFiniteValues.check(context, step, tfTrace, refTrace);
                ParityCase c = new ParityCase(spec, dataset.id(), precision, initial, batch);
                results.add(new StepResult(step, batch.description(),
                        ParityHarness.compare(c, tfTrace, refTrace, null, StepTolerance.growth(step))));
            }
        }
        return results;
    }
}
