package org.paritysuite.harness.training;

/**
 * The state of a lockstep run after an epoch (epoch 0: the initial weights, before any step).
 *
 * @param epoch              the epoch, 0 for the initial weights
 * @param steps              optimizer steps taken so far
 * @param tfTrainLoss        mean of TensorFlow's training losses over the epoch's steps (NaN for epoch 0)
 * @param refTrainLoss       the same for the reference
 * @param tf                 TensorFlow scored on the test images at the weights after the epoch
 * @param ref                the reference, the same
 * @param predictionsDiffer  the fraction of test images whose predicted class differs between the sides
 * @param maxWeightDiff      the greatest absolute difference between the sides' weights (every
 *                           trainable parameter, optimizer slots excluded)
 * @param toleranceUsed      the worst share of tolerance used by any step of the epoch (NaN for epoch 0)
 * @param stepsOutside       how many of the epoch's steps had a tensor outside its tolerance
 * @param tfMillisPerStep    the median wall time of TensorFlow's steps in this epoch, ms
 * @param refMillisPerStep   the same for the reference
 */
public record EpochRecord(int epoch, int steps, double tfTrainLoss, double refTrainLoss, Score tf, Score ref,
                          double predictionsDiffer, double maxWeightDiff, double toleranceUsed, int stepsOutside,
                          double tfMillisPerStep, double refMillisPerStep) {

    /** One side scored on the test images: its mean loss and its accuracy. */
    public record Score(double loss, double accuracy) {
    }

    /** {@code |tf test loss - ref test loss|}. */
    public double testLossDiff() {
        return Math.abs(tf.loss() - ref.loss());
    }
}
