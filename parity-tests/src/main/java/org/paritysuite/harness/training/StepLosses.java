package org.paritysuite.harness.training;

/**
 * Both sides' training losses at one step of a trajectory, and how far apart they are: what the
 * trajectory curves of the HTML report and of {@code parity train}'s plot draw. The losses are the
 * free-running trajectories' (each side trained on its own from the same initial weights), taken
 * on the step's batch before its update.
 *
 * @param step       the step, from 1
 * @param tensorflow TensorFlow's loss
 * @param reference  the free-running reference's loss
 */
public record StepLosses(int step, double tensorflow, double reference) {

    /** The losses of a {@code parity verify} trajectory's step. */
    public static StepLosses of(StepResult result) {
        return new StepLosses(result.step(), result.tensorflowLoss(), result.referenceLoss());
    }

    /** The losses of a {@code parity train} step. */
    public static StepLosses of(StepRecord record) {
        return new StepLosses(record.step(), record.tfLoss(), record.refLoss());
    }

    /**
     * {@code |loss_tf - loss_ref|}: the size of the sides' agreement, which two overlapping loss
     * curves cannot show (0 at a step where they agree to the last bit; NaN when either is).
     */
    public double divergence() {
        return Math.abs(tensorflow - reference);
    }
}
