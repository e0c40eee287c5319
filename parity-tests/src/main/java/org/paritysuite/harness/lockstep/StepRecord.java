package org.paritysuite.harness.lockstep;

/**
 * One optimizer step of a lockstep run.
 *
 * @param step          the step, from 1
 * @param epoch         the epoch it belongs to, from 1
 * @param tfLoss        TensorFlow's training loss on the step's batch, before the update
 * @param refLoss       the reference's training loss on the same batch, before the update
 * @param toleranceUsed the worst share of its tolerance any tensor within it used
 *                      ({@code |a - e| / (atol + rtol |e|)}); NaN for a step after the sides parted
 *                      at a kink, which is not compared
 * @param outside       the first tensor neither within its tolerance nor cleared by the float64
 *                      referee ({@code gradient/dense/kernel}), or null
 * @param refereed      checks outside their tolerance that the float64 referee cleared (float32,
 *                      from step 2: TensorFlow no further from the float64 trajectory than the reference)
 * @param kink          at the step where the sides parted at a ReLU kink, the unit; null otherwise
 * @param tfMillis      wall time of TensorFlow's step, ms
 * @param refMillis     wall time of the reference's step, ms
 */
public record StepRecord(int step, int epoch, double tfLoss, double refLoss, double toleranceUsed, String outside,
                         long refereed, String kink, double tfMillis, double refMillis) {

    /** Whether every tensor of the step was accepted (true for a step that was not compared). */
    public boolean withinTolerance() {
        return outside == null;
    }
}
