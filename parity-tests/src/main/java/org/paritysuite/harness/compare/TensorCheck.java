package org.paritysuite.harness.compare;

import org.paritysuite.fixtures.run.TensorKind;

/**
 * One row of a parity report: a traced tensor of TensorFlow compared with the reference's.
 *
 * @param tensor     the tensor's name (layer name, {@code probs}, {@code loss} or parameter name)
 * @param kind       what it is
 * @param comparison the element-wise comparison, TensorFlow as actual, the reference as expected
 * @param blame      for a float32 case, which side is further from the float64 result; null in float64
 */
public record TensorCheck(String tensor, TensorKind kind, TensorComparison comparison, Blame blame) {

    /** The trace key, {@code kind/name}. */
    public String key() {
        return kind.key(tensor);
    }

    /** Whether the tensor is within its tolerance. */
    public boolean passed() {
        return comparison.passed();
    }
}
