/**
 * Error baselines: the gate that notices an error growing while it is still inside its tolerance.
 *
 * <p>A tolerance says how far two correct implementations may be apart; it cannot say that they
 * used to be ten times closer. {@code parity verify --record-baseline FILE} keeps what a good run
 * measured ({@link org.paritysuite.harness.baseline.ErrorBaseline}: every tensor's greatest
 * absolute error with its scale, every trajectory step's judged and free-running error, each case
 * with the fingerprint of its spec, weights and batch), and {@code --baseline FILE} compares a
 * later run with it under the {@link org.paritysuite.harness.baseline.GrowthRule}. A baseline that
 * does not fit the run (a case missing, recorded from other numbers or with another number of
 * steps) is refused before the run, as bad input; an error that grew is a failure of the run, with
 * the tensor, both errors and their ratio in the table and the JSON.
 */
package org.paritysuite.harness.baseline;
