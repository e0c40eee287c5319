/**
 * Where every tolerance comes from. {@code TolerancePolicy} turns a precision and a tensor's
 * dot-product path length ({@code DotProductLengths}) into a {@code Tolerance} with its reason
 * written down: float64 asks that both sides compute the same function, float32 allows the
 * random-walk rounding bound of the sums on the tensor's path. Nothing here is tuned to make a
 * test pass; a case's {@code TolerancePlan} is made here and handed to the comparator.
 */
package org.paritysuite.harness.policy;
