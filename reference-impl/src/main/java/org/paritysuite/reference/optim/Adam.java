package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * Adam, TensorFlow's {@code ApplyAdam}.
 *
 * <pre>
 *   m    <- beta1 * m + (1 - beta1) * g                              (slot "m", starts at 0)
 *   v    <- beta2 * v + (1 - beta2) * g^2                            (slot "v", starts at 0)
 *   lr_t <- lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   w    <- w - lr_t * m / (sqrt(v) + epsilon)                       EpsilonPlacement.EPSILON_HAT (TensorFlow)
 *   w    <- w - lr * m_hat / (sqrt(v_hat) + epsilon),                EpsilonPlacement.PAPER
 *           m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
 * </pre>
 *
 * <p>Source: Kingma &amp; Ba, "Adam: A method for stochastic optimization", ICLR 2015, Algorithm 1
 * (the {@link EpsilonPlacement#PAPER} form) and the paragraph after it ("the efficiency of algorithm 1
 * can ... be improved upon by changing the order of computation": {@code alpha_t = alpha *
 * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code theta <- theta - alpha_t * m / (sqrt(v) + epsilon_hat)},
 * the {@link EpsilonPlacement#EPSILON_HAT} form). TensorFlow: raw op {@code ApplyAdam}
 * ({@code tensorflow/core/kernels/training_ops.cc}, {@code functor::ApplyAdamNonCuda}:
 * {@code alpha = lr() * sqrt(T(1) - beta2_power()) / (T(1) - beta1_power());
 * m += (grad - m) * (T(1) - beta1()); v += (grad.square() - v) * (T(1) - beta2());
 * var -= (m * alpha) / (v.sqrt() + epsilon())}), used by tensorflow-framework's {@code Adam.applyDense}.
 *
 * <p>The two placements differ only through epsilon: EPSILON_HAT's epsilon equals the paper's
 * {@code epsilon * sqrt(1 - beta2^t)}, i.e. it is not bias-corrected, so early on (small t) it acts
 * as a much smaller epsilon (at t = 1 with beta2 = 0.999, about 1/31.6 of it).
 *
 * <p>NOTE: tensorflow-framework keeps {@code beta1^t} and {@code beta2^t} in float32 variables
 * ({@code beta1_power}, {@code beta2_power}: created as {@code beta1}, multiplied by {@code beta1} in
 * float32 after every step in {@code Adam.finish}) and casts them to the variable's type; this class
 * does the same, so in a float64 run the powers carry float32 rounding (relative 6e-8 per step), as
 * in TensorFlow. The moving averages use the kernel's form {@code m + (g - m) * (1 - beta1)}.
 */
public final class Adam extends SlotOptimizer {

    public static final double LEARNING_RATE_DEFAULT = 0.001f;
    public static final double BETA_ONE_DEFAULT = 0.9f;
    public static final double BETA_TWO_DEFAULT = 0.999f;
    /** tensorflow-framework's {@code Adam.EPSILON_DEFAULT} (Keras: 1e-7). */
    public static final double EPSILON_DEFAULT = 1e-8f;
    /** tensorflow-framework's slot names {@code Adam.FIRST_MOMENT}, {@code SECOND_MOMENT}. */
    public static final String FIRST_MOMENT = "m";
    public static final String SECOND_MOMENT = "v";

    /** Where epsilon enters the step. */
    public enum EpsilonPlacement {
        /** {@code lr_t * m / (sqrt(v) + epsilon)}: TensorFlow's {@code ApplyAdam}, Keras. */
        EPSILON_HAT,
        /** {@code lr * m_hat / (sqrt(v_hat) + epsilon)}: Kingma &amp; Ba, Algorithm 1; PyTorch. */
        PAPER
    }

    /**
     * @param learningRate     {@code lr}
     * @param beta1            decay of {@code m}
     * @param beta2            decay of {@code v}
     * @param epsilon          {@code epsilon}
     * @param epsilonPlacement default {@link EpsilonPlacement#EPSILON_HAT}
     */
    public record Config(double learningRate, double beta1, double beta2, double epsilon,
                         EpsilonPlacement epsilonPlacement) {
        public Config {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("Adam: learning rate must be finite and > 0, found " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: beta1 and beta2 must be in [0, 1), found beta1=" + beta1
                        + ", beta2=" + beta2);
            }
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("Adam: epsilon must be finite and >= 0, found " + epsilon);
            }
            if (epsilonPlacement == null) {
                throw new IllegalArgumentException("Adam: epsilonPlacement must be given");
            }
        }

        /** From a spec of type {@code adam}, with TensorFlow's epsilon placement. */
        public static Config of(OptimizerSpec spec) {
            return new Config(spec.learningRate(), spec.get("beta_1"), spec.get("beta_2"), spec.get("epsilon"),
                    EpsilonPlacement.EPSILON_HAT);
        }

        public Config withEpsilonPlacement(EpsilonPlacement placement) {
            return new Config(learningRate, beta1, beta2, epsilon, placement);
        }
    }

    private final Config config;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    /** {@code 1 - beta1}, {@code 1 - beta2}, in the data type. */
    private final double oneMinusBeta1;
    private final double oneMinusBeta2;
    /** {@code beta1^t}, {@code beta2^t} of the current step, float32 as tensorflow-framework keeps them. */
    private float beta1Power;
    private float beta2Power;
    /** {@code lr_t}, {@code 1 - beta1^t}, {@code 1 - beta2^t} of the current step, in the data type. */
    private double lrT;
    private double oneMinusBeta1Power;
    private double oneMinusBeta2Power;

    public Adam(DataType dataType, Config config) {
        super("Adam", dataType);
        this.config = config;
        this.lr = s.c(config.learningRate());
        this.beta1 = s.c(config.beta1());
        this.beta2 = s.c(config.beta2());
        this.epsilon = s.c(config.epsilon());
        this.oneMinusBeta1 = s.sub(1, beta1);                     // T(1) - beta1()
        this.oneMinusBeta2 = s.sub(1, beta2);
        this.beta1Power = (float) config.beta1();                 // beta1_power initialised to beta1
        this.beta2Power = (float) config.beta2();
    }

    public static Adam of(OptimizerSpec spec, DataType dataType) {
        return new Adam(dataType, Config.of(spec));
    }

    public Config config() {
        return config;
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        createSlot(weight, FIRST_MOMENT, w, 0);
        createSlot(weight, SECOND_MOMENT, w, 0);
    }

    @Override
    protected void prepare(int t) {
        if (t > 1) {
            beta1Power = beta1Power * (float) config.beta1();      // Adam.finish: beta1_power *= beta1 (float32)
            beta2Power = beta2Power * (float) config.beta2();
        }
        oneMinusBeta1Power = s.sub(1, s.c(beta1Power));           // T(1) - beta1_power()
        oneMinusBeta2Power = s.sub(1, s.c(beta2Power));           // T(1) - beta2_power()
        lrT = s.div(s.mul(lr, s.sqrt(oneMinusBeta2Power)), oneMinusBeta1Power);  // lr * sqrt(1-b2^t) / (1-b1^t)
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        double[] m = slot(weight, FIRST_MOMENT);
        double[] v = slot(weight, SECOND_MOMENT);
        for (int i = 0; i < n; i++) {
            m[i] = s.add(m[i], s.mul(s.sub(g[i], m[i]), oneMinusBeta1));                // m += (grad - m) * (1 - beta1)
            v[i] = s.add(v[i], s.mul(s.sub(s.mul(g[i], g[i]), v[i]), oneMinusBeta2));    // v += (grad^2 - v) * (1 - beta2)
        }
        switch (config.epsilonPlacement()) {
            // var -= (m * alpha) / (sqrt(v) + epsilon)
            case EPSILON_HAT -> {
                for (int i = 0; i < n; i++) {
                    w[i] = s.sub(w[i], s.div(s.mul(m[i], lrT), s.add(s.sqrt(v[i]), epsilon)));
                }
            }
            // var -= lr * m_hat / (sqrt(v_hat) + epsilon), m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
            case PAPER -> {
                for (int i = 0; i < n; i++) {
                    w[i] = s.sub(w[i], s.div(s.mul(s.div(m[i], oneMinusBeta1Power), lr),
                            s.add(s.sqrt(s.div(v[i], oneMinusBeta2Power)), epsilon)));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Adam{" + config + ", dataType=" + dataType() + "}";
    }
}
