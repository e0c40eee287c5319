package org.paritysuite.reference;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The identity activation: {@code out = x}.
 *
 * <p>Backward: {@code dX = dOut}.
 *
 * <p>Shapes: {@code x}, {@code out}, {@code dOut}, {@code dX} all {@code [N, M]}. It caches
 * nothing, because its derivative is 1 everywhere.
 */
public final class Linear implements Layer {

    private boolean forwardDone;

    /** {@code out = x}, returned as a copy so callers never share a buffer with the input. */
    @Override
    public INDArray forward(INDArray x) {
        forwardDone = true;
        return x.dup();
    }

    /** {@code dX = dOut}, as a copy. */
    @Override
    public INDArray backward(INDArray dOut) {
        Shapes.requireForwardDone(forwardDone ? this : null, "Linear");
        // in the forward pass this was: out = x, so d out / d x = 1 and now: dX = dOut
        return dOut.dup();
    }

    @Override
    public String toString() {
        return "Linear";
    }
}
