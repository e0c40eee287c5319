package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * RMSProp, optionally centered, with momentum: TensorFlow's {@code ApplyRMSProp} and
 * {@code ApplyCenteredRMSProp}.
 *
 * <pre>
 *   ms  <- rho * ms + (1 - rho) * g^2                     (slot "rms")
 *   mg  <- rho * mg + (1 - rho) * g                       (slot "mg", centered only)
 *   d   <- ms + epsilon                                   plain,    epsilon INSIDE_SQRT (TensorFlow)
 *   d   <- ms - mg^2 + epsilon                            centered, epsilon INSIDE_SQRT (TensorFlow)
 *   mom <- momentum * mom + lr * g / sqrt(d)              (slot "momentum")
 *   w   <- w - mom
 * </pre>
 * With {@link EpsilonPlacement#OUTSIDE_SQRT} (Keras 2 / PyTorch) the quotient is
 * {@code lr * g / (sqrt(ms [- mg^2]) + epsilon)}.
 *
 * <p>Sources: Tieleman &amp; Hinton, COURSERA "Neural Networks for Machine Learning", lecture 6.5, 2012
 * (RMSProp); Graves, "Generating sequences with recurrent neural networks", arXiv:1308.0850, 2013,
 * eq. (38)-(45) (the centered variant). TensorFlow: raw ops {@code ApplyRMSProp} and
 * {@code ApplyCenteredRMSProp} ({@code tensorflow/core/kernels/training_ops.cc},
 * {@code functor::ApplyRMSProp}: {@code ms += (grad.square() - ms) * (1 - rho());
 * mom = mom * momentum() + (grad * lr()) / ((ms + epsilon()).sqrt()); var -= mom};
 * {@code functor::ApplyCenteredRMSProp}: {@code ms += ...; mg += (grad - mg) * (1 - rho());
 * denom = (ms - mg.square()) + epsilon(); mom = mom * momentum() + (grad * lr()) / denom.sqrt();
 * var -= mom}), used by tensorflow-framework's {@code RMSProp.applyDense}.
 *
 * <p>NOTE: the moving averages are computed in the kernel's form {@code ms + (g^2 - ms) * (1 - rho)},
 * algebraically the formula above, so that float32 rounding follows TensorFlow's.
 *
 * <p>NOTE: tensorflow-framework's {@code RMSProp.createRMSPropSlot} fills the "rms" slot with
 * <b>ones</b> ({@code tf.fill(shape, 1.0f)}), as TF 1's {@code tf.compat.v1.train.RMSPropOptimizer}
 * did; tf.keras' {@code RMSprop} and PyTorch start it at zeros. With ones the first steps are tiny
 * ({@code sqrt(0.9 + 0.1 g^2)} instead of {@code sqrt(0.1 g^2)}): {@link InitialMeanSquare}. "momentum"
 * and "mg" start at zeros in all of them.
 */
public final class RMSProp extends SlotOptimizer {

    public static final double LEARNING_RATE_DEFAULT = 0.001f;
    /** tensorflow-framework's {@code RMSProp.DECAY_DEFAULT}, Keras' {@code rho}. */
    public static final double RHO_DEFAULT = 0.9f;
    public static final double MOMENTUM_DEFAULT = 0.0f;
    /** tensorflow-framework's {@code RMSProp.EPSILON_DEFAULT} (Keras: 1e-7). */
    public static final double EPSILON_DEFAULT = 1e-10f;
    /** tensorflow-framework's slot names {@code RMSProp.RMS}, {@code MOMENTUM}, {@code MG}. */
    public static final String RMS = "rms";
    public static final String MOMENTUM = "momentum";
    public static final String MG = "mg";

    /** Where epsilon goes in the denominator. */
    public enum EpsilonPlacement {
        /** {@code sqrt(ms + epsilon)}: TensorFlow's {@code ApplyRMSProp} / {@code ApplyCenteredRMSProp}. */
        INSIDE_SQRT,
        /** {@code sqrt(ms) + epsilon}: tf.keras 2.11+ {@code RMSprop}, PyTorch {@code RMSprop}. */
        OUTSIDE_SQRT
    }

    /** The initial value of the "rms" slot {@code ms}. */
    public enum InitialMeanSquare {
        /** 1: tensorflow-framework {@code RMSProp.createRMSPropSlot}, TF 1 {@code train.RMSPropOptimizer}. */
        ONES(1.0),
        /** 0: tf.keras {@code RMSprop}, PyTorch. */
        ZEROS(0.0);

        private final double value;

        InitialMeanSquare(double value) {
            this.value = value;
        }

        public double value() {
            return value;
        }
    }

    /**
     * @param learningRate     {@code lr}
     * @param rho              {@code rho}, the decay of the moving averages (tensorflow-framework's {@code decay})
     * @param momentum         {@code momentum}
     * @param epsilon          {@code epsilon}
     * @param centered         subtract {@code mg^2} (ApplyCenteredRMSProp)
     * @param epsilonPlacement default {@link EpsilonPlacement#INSIDE_SQRT}
     * @param initialMeanSquare default {@link InitialMeanSquare#ONES}
     */
    public record Config(double learningRate, double rho, double momentum, double epsilon, boolean centered,
                         EpsilonPlacement epsilonPlacement, InitialMeanSquare initialMeanSquare) {
        public Config {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("RMSProp: learning rate must be finite and > 0, found "
                        + learningRate);
            }
            if (!(rho >= 0 && rho < 1) || !(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("RMSProp: rho and momentum must be in [0, 1), found rho=" + rho
                        + ", momentum=" + momentum);
            }
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("RMSProp: epsilon must be finite and >= 0, found " + epsilon);
            }
            if (epsilonPlacement == null || initialMeanSquare == null) {
                throw new IllegalArgumentException("RMSProp: epsilonPlacement and initialMeanSquare must be given");
            }
        }

        /** From a spec of type {@code rmsprop}, with TensorFlow's conventions. */
        public static Config of(OptimizerSpec spec) {
            return new Config(spec.learningRate(), spec.get("rho"), spec.get("momentum"), spec.get("epsilon"),
                    spec.get("centered") != 0, EpsilonPlacement.INSIDE_SQRT, InitialMeanSquare.ONES);
        }

        public Config withEpsilonPlacement(EpsilonPlacement placement) {
            return new Config(learningRate, rho, momentum, epsilon, centered, placement, initialMeanSquare);
        }

        public Config withInitialMeanSquare(InitialMeanSquare initial) {
            return new Config(learningRate, rho, momentum, epsilon, centered, epsilonPlacement, initial);
        }

        public Config withCentered(boolean isCentered) {
            return new Config(learningRate, rho, momentum, epsilon, isCentered, epsilonPlacement, initialMeanSquare);
        }
    }

    private final Config config;
    private final double lr;
    private final double momentum;
    private final double epsilon;
    private final double oneMinusRho;

    public RMSProp(DataType dataType, Config config) {
        super("RMSProp", dataType);
        this.config = config;
        this.lr = s.c(config.learningRate());
        this.momentum = s.c(config.momentum());
        this.epsilon = s.c(config.epsilon());
        this.oneMinusRho = s.sub(1, s.c(config.rho()));           // static_cast<T>(1) - rho(), in T
    }

    public static RMSProp of(OptimizerSpec spec, DataType dataType) {
        return new RMSProp(dataType, Config.of(spec));
    }

    public Config config() {
        return config;
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        createSlot(weight, RMS, w, config.initialMeanSquare().value());
        createSlot(weight, MOMENTUM, w, 0);
        if (config.centered()) {
            createSlot(weight, MG, w, 0);
        }
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        double[] ms = slot(weight, RMS);
        double[] mom = slot(weight, MOMENTUM);
        double[] mg = config.centered() ? slot(weight, MG) : null;
        boolean epsilonInsideSqrt = config.epsilonPlacement() == EpsilonPlacement.INSIDE_SQRT;
        for (int i = 0; i < n; i++) {
            ms[i] = s.add(ms[i], s.mul(s.sub(s.mul(g[i], g[i]), ms[i]), oneMinusRho));   // ms += (grad^2 - ms) * (1 - rho)
        }
        if (mg != null) {
            for (int i = 0; i < n; i++) {
                mg[i] = s.add(mg[i], s.mul(s.sub(g[i], mg[i]), oneMinusRho));            // mg += (grad - mg) * (1 - rho)
            }
        }
        for (int i = 0; i < n; i++) {
            double variance = mg == null ? ms[i] : s.sub(ms[i], s.mul(mg[i], mg[i]));   // ms [- mg^2]
            double denominator = epsilonInsideSqrt
                    ? s.sqrt(s.add(variance, epsilon))                                   // sqrt(ms [- mg^2] + eps)
                    : s.add(s.sqrt(variance), epsilon);                                  // sqrt(ms [- mg^2]) + eps
            mom[i] = s.add(s.mul(mom[i], momentum), s.div(s.mul(g[i], lr), denominator));  // mom*momentum + (grad*lr)/denom
            w[i] = s.sub(w[i], mom[i]);                                                  // var -= mom
        }
    }

    @Override
    public String toString() {
        return "RMSProp{" + config + ", dataType=" + dataType() + "}";
    }
}
