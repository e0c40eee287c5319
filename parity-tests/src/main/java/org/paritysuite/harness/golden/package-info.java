/**
 * Golden bundles: TensorFlow's tensors for every zoo model, recorded once and committed
 * ({@code goldens/}), so that the reference can be checked against TensorFlow where TensorFlow
 * cannot run, and fast: the lane runs the reference alone and loads no TensorFlow class.
 *
 * <p>A bundle ({@link org.paritysuite.harness.golden.GoldenBundle}) is one {@code .npz} NumPy
 * opens: the case (spec, weights, batch, dropout masks), TensorFlow's traced tensors, and the
 * environment they were recorded in. It is compact because big tensors keep a deterministic
 * strided subset ({@link org.paritysuite.harness.golden.StridedSubset}) and their {@code max|x|};
 * the lane does not need the rest, since it rebuilds the case from the zoo and the shipped data
 * and refuses a bundle whose case fingerprint differs ({@link org.paritysuite.harness.golden.Goldens#rebuild}).
 *
 * <p>The two checks ({@link org.paritysuite.harness.golden.GoldenLane}) reuse the harness's own
 * parts rather than having their own: the reference's tensors are compared with TensorFlow's
 * recorded ones by {@code TensorComparator} under {@code TolerancePolicy}'s tolerances, and
 * TensorFlow run again is judged by the error baseline's {@code GrowthRule}. The format, and how
 * to open a bundle in NumPy, are in {@code docs/goldens.md}.
 */
package org.paritysuite.harness.golden;
