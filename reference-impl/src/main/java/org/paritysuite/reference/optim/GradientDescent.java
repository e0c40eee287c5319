package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * Plain stochastic gradient descent.
 *
 * <pre>
 *   w <- w - lr * g
 * </pre>
 *
 * <p>Source: Robbins &amp; Monro, "A stochastic approximation method", 1951. TensorFlow: raw op
 * {@code ApplyGradientDescent} ({@code tensorflow/core/kernels/training_ops.cc},
 * {@code functor::ApplyGradientDescent}: {@code var -= grad * lr()}), used by tensorflow-framework's
 * {@code GradientDescent.applyDense}. No slots. tensorflow-framework's default {@code lr} is 0.01.
 */
public final class GradientDescent extends SlotOptimizer {

    /** tensorflow-framework's {@code GradientDescent.LEARNING_RATE_DEFAULT}. */
    public static final double LEARNING_RATE_DEFAULT = 0.01f;

    private final double lr;

    /** SGD with learning rate {@code learningRate} in {@code dataType}. */
    public GradientDescent(DataType dataType, double learningRate) {
        super("GradientDescent", dataType);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("GradientDescent: learning rate must be finite and > 0, found "
                    + learningRate);
        }
        this.lr = s.c(learningRate);
    }

    /** From a spec of type {@code sgd}. */
    public static GradientDescent of(OptimizerSpec spec, DataType dataType) {
        return new GradientDescent(dataType, spec.learningRate());
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        // none
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        for (int i = 0; i < n; i++) {
            w[i] = s.sub(w[i], s.mul(g[i], lr));        // w - g * lr
        }
    }

    @Override
    public String toString() {
        return "GradientDescent{learningRate=" + lr + ", dataType=" + dataType() + "}";
    }
}
