/**
 * {@code parity reduce}: a failing case shrunk to a minimal reproducer, as Polygraphy's
 * {@code debug reduce} does for an ONNX model and PyTorch's accuracy minifier for a graph
 * (docs/reduce.md).
 *
 * <p>A reduction keeps one thing fixed, the way the case fails ({@link
 * org.paritysuite.harness.reduce.FailureSignature}: the culprit layers that per-layer isolation names,
 * forward and backward, and the kind of the first failing check), and makes everything else
 * smaller, one move at a time ({@link org.paritysuite.harness.reduce.ReductionStep}): the batch to
 * fewer examples (bisection, then single drops), the model to fewer layers (never a culprit, never
 * the output layer), the layers to fewer units and filters. A move is taken only when the smaller
 * case, run through the ordinary harness on the same sides, fails with the same signature; the
 * {@link org.paritysuite.harness.reduce.Shrinker} counts the runs. The smaller specs and their
 * weights come from {@link org.paritysuite.harness.reduce.SpecSlicer}: the weights are the original's,
 * sliced, so the faulty layer computes with the numbers it was wrong with.
 *
 * <p>What it finds is written by {@link org.paritysuite.harness.reduce.ReproducerBundle} as files that
 * {@code parity verify --spec --weights --inputs --labels} replays; dropout masks need no file, being
 * drawn from the spec's seed for the bundle's number of examples, as they were during the reduction.
 * {@link org.paritysuite.harness.reduce.InjectedFault} plants a fault in TensorFlow's side, to try the
 * command on and to test the suite's own localisation with.
 */
package org.paritysuite.harness.reduce;
