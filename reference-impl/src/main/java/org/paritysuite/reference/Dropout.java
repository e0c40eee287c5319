package org.paritysuite.reference;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout with a keep mask handed in from outside: {@code out = x * mask * scale} in
 * training, {@code out = x} at inference, with {@code scale = 1 / (1 - rate)}.
 *
 * <p>Shapes: {@code x}, {@code mask}, {@code out}, {@code dOut}, {@code dX} all alike, {@code [N, D]}
 * or images {@code [N, C, H, W]} (any rank; the mask must have the input's shape, in the
 * reference's layout: an image mask is NCHW).
 *
 * <p>Forward (training): {@code out = (x * mask) * scale}, in exactly this order: multiply by the
 * 0/1 mask, then by {@code scale}, computed as {@code 1 / (1 - rate)} in double and rounded once to
 * the input's data type. The kept elements are scaled up so that the expected output equals the
 * input, and inference needs no rescaling.
 *
 * <p>Backward (training): {@code dX = (dOut * mask) * scale}: a dropped element passed nothing
 * forward, so it gets no gradient. At inference {@code dX = dOut}.
 *
 * <p>Usage: the mask is not drawn here (neither framework's random numbers are used; see
 * {@link org.paritysuite.fixtures.run.DropoutMasks}). Before each training forward pass call
 * {@link #setMask(INDArray)} with that pass's mask; it stays in force, for the backward pass and for
 * any further forward pass, until the next {@code setMask}. {@link #setTraining(boolean)} switches
 * between training (the default) and inference, where forward and backward are the identity and no
 * mask is needed. The mode of the last forward pass is the one its backward pass uses.
 */
public final class Dropout implements Layer {

    private final double rate;
    private final String where;

    private boolean training = true;
    private INDArray mask;

    /** What the last forward pass did: {@code null} before any, else whether it applied {@link #forwardMask}. */
    private Boolean forwardTrained;
    private INDArray forwardMask;

    /**
     * Inverted dropout dropping a fraction {@code rate} of the elements.
     *
     * @param rate in {@code [0, 1)}
     */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), found " + rate);
        }
        this.rate = rate;
        this.where = String.format(Locale.ROOT, "Dropout(rate=%s)", rate);
    }

    /**
     * The keep mask of the next forward pass(es): 1 keeps an element, 0 drops it.
     *
     * @param keepMask the shape of the input, any FLOAT or DOUBLE type (0 and 1 are exact in both;
     *                 it is converted to the input's type)
     * @throws IllegalArgumentException when an element is neither 0 nor 1
     */
    public void setMask(INDArray keepMask) {
        if (keepMask == null) {
            throw new IllegalArgumentException(where + ".setMask: the keep mask must be given");
        }
        Precision.of(keepMask, where + ".setMask: the keep mask");
        String other = firstOtherThanZeroOrOne(keepMask);
        if (other != null) {
            throw new IllegalArgumentException(where + ".setMask: a keep mask holds only 0 (drop) and 1 (keep), found "
                    + other);
        }
        this.mask = keepMask.dup();
    }

    /** Training (masks applied) or inference (identity). */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * Training: {@code out = (x * mask) * scale}; inference: a copy of {@code x}.
     *
     * @param x any shape, FLOAT or DOUBLE
     * @throws IllegalStateException in training mode when no mask was set
     */
    @Override
    public INDArray forward(INDArray x) {
        Precision.of(x, where + ".forward");
        if (!training) {
            forwardTrained = false;
            return x.dup();
        }
        if (mask == null) {
            throw new IllegalStateException(where + ".forward: training mode needs a keep mask; call setMask first"
                    + " (or setTraining(false) for inference)");
        }
        if (!Arrays.equals(mask.shape(), x.shape())) {
            throw new IllegalArgumentException(where + ".forward: the keep mask must have the shape of x "
                    + Arrays.toString(x.shape()) + ", found " + Arrays.toString(mask.shape()));
        }
        INDArray m = mask.castTo(x.dataType());
        forwardTrained = true;
        forwardMask = m;
        // scale in double, rounded once to x's type by ND4J's scalar multiplication:
        return x.mul(m).mul(scale());
    }

    /**
     * Training: {@code dX = (dOut * mask) * scale}; inference: a copy of {@code dOut}.
     *
     * @param dOut the shape and type of the last forward input
     */
    @Override
    public INDArray backward(INDArray dOut) {
        Shapes.requireForwardDone(forwardTrained, where);
        if (!forwardTrained) {
            // in the forward pass this was: out = x, so now:
            return dOut.dup();
        }
        Shapes.requireSameAs(dOut, forwardMask, where + ".backward", "dOut", "x");
        // in the forward pass this was: out = (x * mask) * scale, so now:
        return dOut.mul(forwardMask).mul(scale());
    }

    /** {@code 1 / (1 - rate)}, in double. */
    public double scale() {
        return 1.0 / (1.0 - rate);
    }

    /** The fraction of elements dropped in training. */
    public double rate() {
        return rate;
    }

    /** Whether the next forward pass is a training pass. */
    public boolean isTraining() {
        return training;
    }

    /** {@code "0.5 at linear index 3"} for the first element that is neither 0 nor 1; {@code null} when there is none. */
    private static String firstOtherThanZeroOrOne(INDArray mask) {
        double[] values = Precision.values(mask);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                return values[i] + " at linear index " + i;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return where + (training ? ", training" : ", inference");
    }
}
