/**
 * {@code parity explain}: a Keras-style summary of a model spec (layers, output shapes,
 * parameter counts), so a user can check that the spec describes the network they meant before
 * any parity is run.
 */
package org.paritysuite.harness.summary;
