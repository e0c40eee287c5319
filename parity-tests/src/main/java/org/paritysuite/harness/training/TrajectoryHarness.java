package org.paritysuite.harness.training;

import java.util.ArrayList;
import java.util.List;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.wiring.Sides;

/**
 * Trains both sides in lockstep from the same weights on the same minibatches (the shipped
 * training subset, in order, wrapping around) with the same dropout masks, and compares after
 * every step: the loss, the gradients applied, the weights after the update and the optimizer's
 * slots. TensorFlow steps with tensorflow-framework's optimizer, the reference with its
 * hand-written update rule ({@link Lockstep}).
 */
public final class TrajectoryHarness {

    private TrajectoryHarness() {
    }

    /** {@code steps} lockstep steps of {@code spec} on {@code dataset}, in {@code precision}. */
    public static List<StepResult> run(Sides sides, ModelSpec spec, WeightSet initial, Dataset dataset,
                                       Precision precision, int steps) {
        if (steps < 1) {
            throw new FixtureException("the number of steps must be at least 1, found " + steps);
        }
        Minibatches batches = new Minibatches(spec, ShippedDatasets.load(dataset, Split.TRAIN), dataset.id() + " train");
        List<StepResult> results = new ArrayList<>();
        try (Lockstep lockstep = new Lockstep(sides, spec, initial, dataset.id(), precision)) {
            for (int step = 1; step <= steps; step++) {
                results.add(lockstep.step(step, batches.forStep(step)));
            }
        }
        return results;
    }
}
