package org.paritysuite.harness.golden;

import org.paritysuite.harness.compare.TensorComparison;

/**
 * One tensor of the TensorFlow-free lane: the reference's tensor against TensorFlow's recorded one,
 * on the stored subset element by element and on the full tensor's {@code max|x|}, both under the
 * tolerance the full harness gives the tensor.
 *
 * @param key     the trace key, e.g. {@code gradient/dense/kernel}
 * @param subset  the subset's comparison, TensorFlow's recorded elements as actual; its indices are
 *                positions in the subset (position {@code j} is flat element {@code j k})
 * @param maxAbs  the comparison of the two full tensors' {@code max|x|}
 */
public record GoldenCheck(String key, TensorComparison subset, TensorComparison maxAbs) {

    /** Whether both comparisons are within the tolerance. */
    public boolean passed() {
        return subset.passed() && maxAbs.passed();
    }

    /** The greater error ratio of the two: above 1 fails. */
    public double errorRatio() {
        return Math.max(subset.errorRatio(), maxAbs.errorRatio());
    }

    /** The failing comparison's message, the subset's first; the subset's when both pass. */
    public String message() {
        return !subset.passed() || maxAbs.passed() ? subset.message() : maxAbs.message();
    }
}
