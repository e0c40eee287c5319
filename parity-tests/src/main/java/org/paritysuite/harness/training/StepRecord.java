package org.paritysuite.harness.training;

/**
 * One optimizer step of a lockstep run.
 *
 * @param step          the step, from 1
 * @param epoch         the epoch it belongs to, from 1
 * @param tfLoss        TensorFlow's training loss on the step's batch, before the update
 * @param refLoss       the reference's training loss on the same batch, before the update
 * @param toleranceUsed the worst share of its tolerance any judged tensor within it used
 *                      ({@code |a - e| / (atol + rtol |e|)}; see {@code Lockstep})
 * @param outside       the first judged tensor outside its tolerance ({@code gradient/dense/kernel}), or null
 * @param drifted       whether the free-running trajectories were outside the trajectory tolerance of
 *                      each other after this step (reported, not judged)
 * @param kink          the ReLU unit whose kink crossing excused this step's gradients, or null
 * @param tfMillis      wall time of TensorFlow's step, ms
 * @param refMillis     wall time of the reference's step, ms
 */
public record StepRecord(int step, int epoch, double tfLoss, double refLoss, double toleranceUsed, String outside,
                         boolean drifted, String kink, double tfMillis, double refMillis) {

    /** Whether every judged tensor of the step was within its tolerance. */
    public boolean withinTolerance() {
        return outside == null;
    }
}
