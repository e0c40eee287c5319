package org.paritysuite.harness.compare;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;

/**
 * Both sides' outputs compared with the predictions a user saved from Keras for the same batch
 * ({@code parity verify --expect P.npy}): a third opinion beside the two sides' agreement with each
 * other. The Keras predictions are the expected values of both comparisons, under one tolerance.
 *
 * @param tensorflow TensorFlow's output ({@code probs}, {@code [N, classes]}) against the Keras predictions
 * @param reference  the reference's output against the Keras predictions
 */
public record KerasCheck(TensorComparison tensorflow, TensorComparison reference) {

    /** Compares the {@code probs} of both traces with {@code keras} under {@code tolerance}. */
    public static KerasCheck of(Trace tensorflow, Trace reference, INDArray keras, Tolerance tolerance) {
        return new KerasCheck(compare("TensorFlow vs Keras", tensorflow, keras, tolerance),
                compare("reference vs Keras", reference, keras, tolerance));
    }

    private static TensorComparison compare(String label, Trace side, INDArray keras, Tolerance tolerance) {
        return TensorComparator.compare(label, side.ofKind(TensorKind.PROBS).get(0).value(), keras, tolerance);
    }

    /** Whether both sides' outputs are within the tolerance of the Keras predictions. */
    public boolean passed() {
        return tensorflow.passed() && reference.passed();
    }
}
