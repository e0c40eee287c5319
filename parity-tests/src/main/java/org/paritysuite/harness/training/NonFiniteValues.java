package org.paritysuite.harness.training;

import org.paritysuite.fixtures.Doubles;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Trace;

/**
 * Stops training at the first NaN or infinity, naming the step, the tensor and the side. Once a
 * value is not finite, every later step is meaningless (NaN spreads through every weight it
 * touches), so training never goes on past it.
 *
 * <p>Both sides non-finite at the same step is the training itself diverging (a learning rate
 * too large, a loss on unclipped probabilities): bad input, a {@link FixtureException} (exit 2).
 * One side alone non-finite is a parity failure, a {@link ParityFailure} (exit 1).
 */
public final class NonFiniteValues {

    private NonFiniteValues() {
    }

    /** Where a trace first holds a non-finite value: the tensor key, the flat index and the value. */
    public record Location(String tensor, long index, double value) {

        @Override
        public String toString() {
            return tensor + " element " + index + " = " + value;
        }
    }

    /** The first non-finite element of {@code trace}, in trace order. */
    public static Optional<Location> find(Trace trace) {
        for (NamedTensor t : trace.tensors()) {
            INDArray v = t.value();
            if (v.length() == 0) {
                continue;
            }
            // A NaN or an infinity always makes the sum non-finite, so one reduction per tensor
            // clears the common case; a finite tensor whose sum overflows is merely scanned.
            if (Double.isFinite(v.sumNumber().doubleValue())) {
                continue;
            }
            double[] values = Doubles.of(v);
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    return Optional.of(new Location(t.key(), i, values[i]));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Throws when either trace of step {@code step} holds a non-finite value.
     *
     * @param context what is trained, e.g. {@code ist597-mlp / fashion-mnist / float32 / sgd}
     */
    public static void check(String context, int step, Trace tensorflow, Trace reference) {
        Optional<Location> tf = find(tensorflow);
        Optional<Location> ref = find(reference);
        if (tf.isPresent() && ref.isPresent()) {
            throw new FixtureException(context + ": training diverged at step " + step
                    + ": both sides produced non-finite values (tensorflow: " + tf.get() + "; reference: "
                    + ref.get() + "); lower the learning rate or check the data");
        }
        if (tf.isPresent() || ref.isPresent()) {
            String side = tf.isPresent() ? "tensorflow" : "reference";
            Location where = tf.orElseGet(ref::get);
            throw new ParityFailure(context + ": step " + step + ": only the " + side + " side produced a non-finite"
                    + " value (" + where + "); the other side stayed finite, so the sides compute different functions");
        }
    }
}
