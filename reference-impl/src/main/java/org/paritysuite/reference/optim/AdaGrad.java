package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * AdaGrad, TensorFlow's {@code ApplyAdagrad} (no epsilon) or {@code ApplyAdagradV2} (epsilon).
 *
 * <pre>
 *   accum <- accum + g^2                                   (slot "accumulator", starts at initial_accumulator_value)
 *   w     <- w - lr * g / sqrt(accum)                      Kernel.ADAGRAD (tensorflow-framework)
 *   w     <- w - lr * g / (sqrt(accum) + epsilon)          Kernel.ADAGRAD_V2 (tf.keras)
 * </pre>
 *
 * <p>Source: Duchi, Hazan &amp; Singer, "Adaptive subgradient methods for online learning and
 * stochastic optimization", JMLR 12, 2011 (diagonal version, their delta = epsilon). TensorFlow: raw
 * ops {@code ApplyAdagrad} ({@code tensorflow/core/kernels/training_ops.cc},
 * {@code functor::ApplyAdagrad}: {@code accum += grad.square(); var -= grad * lr() * accum.rsqrt()})
 * and {@code ApplyAdagradV2} ({@code functor::ApplyAdagradV2}: {@code accum += grad.square();
 * var -= grad * lr() / (accum.sqrt() + epsilon())}).
 *
 * <p>NOTE: tensorflow-framework's {@code AdaGrad.applyDense} calls {@code tf.train.applyAdagrad},
 * the V1 op <em>without</em> epsilon (options {@code updateSlots(true)}, {@code useLocking(true)}), so
 * its default here is {@link Kernel#ADAGRAD}; the division is safe because the accumulator starts at
 * {@code INITIAL_ACCUMULATOR_DEFAULT = 0.01f} (tf.keras starts at 0.1 and uses V2 with epsilon 1e-7).
 * V1 is computed as {@code (g * lr) * (1 / sqrt(accum))}, the kernel's {@code rsqrt} spelled out;
 * Eigen's vectorised {@code rsqrt} may differ from a correctly rounded {@code 1 / sqrt} in the last bit.
 */
public final class AdaGrad extends SlotOptimizer {

    public static final double LEARNING_RATE_DEFAULT = 0.001f;
    /** tensorflow-framework's {@code AdaGrad.INITIAL_ACCUMULATOR_DEFAULT} (tf.keras: 0.1). */
    public static final double INITIAL_ACCUMULATOR_DEFAULT = 0.01f;
    /** tf.keras' Adagrad epsilon, used only by {@link Kernel#ADAGRAD_V2}. */
    public static final double EPSILON_V2_DEFAULT = 1e-7f;
    /** tensorflow-framework's slot name {@code AdaGrad.ACCUMULATOR}. */
    public static final String ACCUMULATOR = "accumulator";

    /** Which TensorFlow kernel's denominator. */
    public enum Kernel {
        /** {@code lr * g * rsqrt(accum)}: {@code ApplyAdagrad}, tensorflow-framework. */
        ADAGRAD,
        /** {@code lr * g / (sqrt(accum) + epsilon)}: {@code ApplyAdagradV2}, tf.keras. */
        ADAGRAD_V2
    }

    /**
     * @param learningRate            {@code lr}
     * @param initialAccumulatorValue the initial {@code accum}
     * @param kernel                  default {@link Kernel#ADAGRAD}
     * @param epsilon                 used by {@link Kernel#ADAGRAD_V2} only
     */
    public record Config(double learningRate, double initialAccumulatorValue, Kernel kernel, double epsilon) {
        public Config {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("AdaGrad: learning rate must be finite and > 0, found "
                        + learningRate);
            }
            if (!(initialAccumulatorValue >= 0) || !Double.isFinite(initialAccumulatorValue)) {
                throw new IllegalArgumentException("AdaGrad: initial accumulator value must be finite and >= 0, found "
                        + initialAccumulatorValue);
            }
            if (kernel == null || !(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("AdaGrad: kernel must be given and epsilon finite and >= 0, found "
                        + kernel + ", " + epsilon);
            }
        }

        /** From a spec of type {@code adagrad}, with tensorflow-framework's kernel. */
        public static Config of(OptimizerSpec spec) {
            return new Config(spec.learningRate(), spec.get("initial_accumulator_value"), Kernel.ADAGRAD,
                    EPSILON_V2_DEFAULT);
        }

        public Config withKernel(Kernel k) {
            return new Config(learningRate, initialAccumulatorValue, k, epsilon);
        }

        public Config withEpsilon(double eps) {
            return new Config(learningRate, initialAccumulatorValue, kernel, eps);
        }
    }

    private final Config config;
    private final double lr;
    private final double epsilon;

    public AdaGrad(DataType dataType, Config config) {
        super("AdaGrad", dataType);
        this.config = config;
        this.lr = s.c(config.learningRate());
        this.epsilon = s.c(config.epsilon());
    }

    public static AdaGrad of(OptimizerSpec spec, DataType dataType) {
        return new AdaGrad(dataType, Config.of(spec));
    }

    public Config config() {
        return config;
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        createSlot(weight, ACCUMULATOR, w, config.initialAccumulatorValue());
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        double[] accum = slot(weight, ACCUMULATOR);
        for (int i = 0; i < n; i++) {
            accum[i] = s.add(accum[i], s.mul(g[i], g[i]));                              // accum += grad^2
        }
        switch (config.kernel()) {
            // var -= grad * lr * rsqrt(accum)
            case ADAGRAD -> {
                for (int i = 0; i < n; i++) {
                    w[i] = s.sub(w[i], s.mul(s.mul(g[i], lr), s.div(1, s.sqrt(accum[i]))));
                }
            }
            // var -= grad * lr / (sqrt(accum) + epsilon)
            case ADAGRAD_V2 -> {
                for (int i = 0; i < n; i++) {
                    w[i] = s.sub(w[i], s.div(s.mul(g[i], lr), s.add(s.sqrt(accum[i]), epsilon)));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "AdaGrad{" + config + ", dataType=" + dataType() + "}";
    }
}
