/**
 * Single-pass parity: a {@code ParityCase} (a model, its weights, one batch, a precision) is run
 * by both sides and judged. {@code CaseFactory} makes cases from the shipped data;
 * {@code ParityHarness} runs the sides it is given and hands the two traces (and, for float32,
 * the float64 referee) to the comparator; {@code CaseResult} holds the checks, and
 * {@code FirstDivergence} names the first layer forward and the first gradient from the loss
 * down that left its tolerance, since everything after it inherits the error.
 */
package org.paritysuite.harness.run;
