/**
 * Per-layer isolation: which layer's own computation is wrong, not merely which layer first looks
 * wrong. In a whole-model comparison every layer inherits the errors of the layers before it, so on
 * a deep network the first tensor outside its tolerance may belong to an innocent layer that was
 * fed slightly wrong values, and a wrong layer may hide behind an earlier one's drift. Here each
 * layer of the side under test is also run alone on the reference's input to it (and, backward,
 * on the reference's incoming gradient), which gives it a <em>local</em> error (what it adds)
 * beside its <em>inherited</em> error (what it was fed).
 *
 * <p>As everywhere in the harness, running and comparing are apart: {@link
 * org.paritysuite.harness.isolation.IsolationRun} asks the sides for their layer-by-layer passes
 * through the contract ({@link org.paritysuite.fixtures.run.LayerwiseRunner}) and never judges;
 * {@link org.paritysuite.harness.isolation.IsolationComparator} turns the passes into
 * {@link org.paritysuite.harness.isolation.LayerErrors} under the whole-model tolerances and never
 * runs anything; {@link org.paritysuite.harness.isolation.Isolation} names the culprits.
 *
 * <p>Isolation costs about one more pass of each side, so a run isolates the cases that fail (to
 * blame the right layer) and, when asked ({@code --isolate}), every case.
 */
package org.paritysuite.harness.isolation;
