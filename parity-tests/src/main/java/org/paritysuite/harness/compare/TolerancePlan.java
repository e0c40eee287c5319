package org.paritysuite.harness.compare;

import org.paritysuite.fixtures.run.NamedTensor;

/**
 * Which tolerance each tensor of a comparison gets: the policy's rule for a case (its precision
 * and path lengths), possibly grown for a later trajectory step or widened by what an update rule
 * propagates. The comparator asks for every expected tensor once, in trace order, so a plan may
 * rely on every gradient being asked for before the first weight after an update.
 */
@FunctionalInterface
public interface TolerancePlan {

    /** The tolerance for comparing a tensor with {@code expected}. */
    Tolerance forTensor(NamedTensor expected);

    /** This plan with every tolerance multiplied by {@code factor} (see {@link Tolerance#scaled}). */
    default TolerancePlan scaled(double factor) {
        return expected -> forTensor(expected).scaled(factor);
    }
}
