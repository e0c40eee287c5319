package org.paritysuite.harness.wiring;

import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.TrainableSide;
import org.paritysuite.fixtures.run.UpdateRules;

/**
 * The implementations one comparison runs, seen through the contract's interfaces only: the side
 * under test (TensorFlow Java in the suite) and the reference it is judged against. The harness
 * takes a {@code Sides} and never names a class of either side; {@link Wiring} makes the
 * standard one, and tests replace a part of it (a corrupted side, a naive port) with the
 * {@code with*} methods.
 *
 * @param tensorflow        builds the side under test for single passes
 * @param reference         builds the reference for single passes
 * @param tensorflowTrainer builds the side under test for training
 * @param referenceTrainer  builds the reference for training
 * @param referenceRules    the reference's update rules on their own: fed TensorFlow's gradients
 *                          at TensorFlow's weights (the judged step), and gradients at the edge
 *                          of their tolerance (the propagated tolerance)
 * @param reproducers       a live reproducer for each known defect that is not judged by its trajectories, by subject
 *                          type: true while the defect still shows in the side under test
 */
public record Sides(Side tensorflow, Side reference, TrainableSide tensorflowTrainer, TrainableSide referenceTrainer,
                    UpdateRules referenceRules, Map<String, BooleanSupplier> reproducers) {

    public Sides {
        reproducers = Map.copyOf(reproducers);
    }

    /** These sides with another single-pass side under test. */
    public Sides withTensorflow(Side side) {
        return new Sides(side, reference, tensorflowTrainer, referenceTrainer, referenceRules, reproducers);
    }

    /** These sides with another single-pass reference. */
    public Sides withReference(Side side) {
        return new Sides(tensorflow, side, tensorflowTrainer, referenceTrainer, referenceRules, reproducers);
    }

    /** These sides with another trainable side under test. */
    public Sides withTensorflowTrainer(TrainableSide side) {
        return new Sides(tensorflow, reference, side, referenceTrainer, referenceRules, reproducers);
    }

    /** The live reproducer of the known defect of {@code subject} ({@code KnownDefect.subject()}), if there is one. */
    public Optional<BooleanSupplier> reproducer(String subject) {
        return Optional.ofNullable(reproducers.get(subject));
    }
}
