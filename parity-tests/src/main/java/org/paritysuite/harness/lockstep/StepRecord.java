package org.paritysuite.harness.lockstep;

/**
 * One optimizer step of a lockstep run.
 *
 * @param step           the step, from 1
 * @param epoch          the epoch it belongs to, from 1
 * @param tfLoss         TensorFlow's training loss on the step's batch, before the update; NaN when
 *                       the TensorFlow side refused the optimizer
 * @param refLoss        the reference's training loss on the same batch, before the update
 * @param toleranceUsed  the worst share of its tolerance any tensor of the step used
 *                       ({@code |a - e| / (atol + rtol |e|)}, above 1 is outside); NaN when nothing was compared
 * @param outside        the first tensor outside its tolerance ({@code gradient/dense/kernel}), or null
 * @param tfMillis       wall time of TensorFlow's step, ms; NaN when refused
 * @param refMillis      wall time of the reference's step, ms
 */
public record StepRecord(int step, int epoch, double tfLoss, double refLoss, double toleranceUsed, String outside,
                         double tfMillis, double refMillis) {

    /** Whether every tensor of the step was within its tolerance (true when nothing was compared). */
    public boolean withinTolerance() {
        return outside == null;
    }
}
