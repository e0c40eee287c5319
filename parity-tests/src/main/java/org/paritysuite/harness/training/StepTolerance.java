package org.paritysuite.harness.training;

/**
 * How a tolerance grows along a trajectory. Each step adds its own rounding error to weights
 * that already carry the errors of the steps before; independent errors add like a random walk,
 * so after {@code t} steps the expected spread is {@code sqrt(t)} times that of one step. The
 * per-step tolerance of {@link org.paritysuite.harness.policy.TolerancePolicy} is therefore
 * multiplied by {@code sqrt(t)}. (Training dynamics can also amplify differences; a trajectory
 * that leaves this envelope is reported, not hidden.)
 */
public final class StepTolerance {

    private StepTolerance() {
    }

    /** The factor for step {@code t} (from 1). */
    public static double growth(int step) {
        return Math.sqrt(step);
    }
}
