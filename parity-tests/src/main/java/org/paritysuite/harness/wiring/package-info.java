/**
 * Which implementations the harness compares. {@link org.paritysuite.harness.wiring.Sides} holds
 * them as the contract's interfaces ({@code fixtures.run}); {@link org.paritysuite.harness.wiring.Wiring}
 * is the only class of the harness that names TensorFlow Java's and the reference's classes. Every
 * runner, comparison and report works from a {@code Sides}, so a test can put a corrupted side in
 * place of either, and a third implementation would need a new {@code Sides}, not a new harness.
 */
package org.paritysuite.harness.wiring;
