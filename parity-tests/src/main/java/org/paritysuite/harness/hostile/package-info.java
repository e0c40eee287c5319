/**
 * Hostile batches: beside the real images, every model of the main job also runs on inputs made to
 * reach the corners where implementations differ and real images rarely go. A batch of one example,
 * all-zero and constant images (ReLU at exactly 0, ties in every max-pool window, a batch variance
 * of exactly 0), and the model's own weights with its output layer or its sigmoid and tanh layers
 * scaled by a power of two (logits that overflow an unshifted softmax, saturated activations).
 *
 * <p>{@code HostileBatch} knows what each kind is and to which models it applies;
 * {@code HostileCases} turns the kinds into ordinary parity cases, judged by the same comparator
 * under the same tolerance policy as every other case: a hostile batch earns no tolerance of its
 * own. docs/hostile-batches.md says what each kind probes and what TensorFlow does there.
 */
package org.paritysuite.harness.hostile;
