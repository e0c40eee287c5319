package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * SGD with (heavy-ball or Nesterov) momentum, TensorFlow's accumulator form.
 *
 * <pre>
 *   accum <- momentum * accum + g                                    (slot "momentum", starts at 0)
 *   w     <- w - lr * accum                                          Nesterov.NONE
 *   w     <- w - (lr * g + lr * momentum * accum)                    Nesterov.TENSORFLOW (use_nesterov)
 * </pre>
 *
 * <p>Sources: Polyak, "Some methods of speeding up the convergence of iteration methods", 1964
 * (heavy ball); Sutskever, Martens, Dahl &amp; Hinton, "On the importance of initialization and momentum
 * in deep learning", ICML 2013, eq. (3)-(4) (Nesterov's accelerated gradient as momentum). TensorFlow:
 * raw op {@code ApplyMomentum} ({@code tensorflow/core/kernels/training_ops.cc},
 * {@code functor::ApplyMomentum}: {@code accum = accum * momentum() + grad;} then
 * {@code var -= grad * lr() + accum * momentum() * lr()} if {@code use_nesterov}, else
 * {@code var -= accum * lr()}), used by tensorflow-framework's {@code Momentum.applyDense} with its
 * {@code useNesterov} flag; the "momentum" slot starts at zeros ({@code Momentum.createMomentumSlot}).
 *
 * <h2>Two Nesterov forms</h2>
 *
 * <p>{@link Nesterov#TENSORFLOW} is the reparameterised form of Bengio, Boulanger-Lewandowski &amp;
 * Pascanu ("Advances in optimizing recurrent networks", 2013, eq. 7): the weights it holds are the
 * look-ahead point {@code phi = theta + momentum * v}, and the gradient is taken there, i.e. at the
 * weights the caller holds. {@link Nesterov#SUTSKEVER} is the textbook form of Sutskever et al.:
 * <pre>
 *   v     <- momentum * v - lr * g(theta + momentum * v)              (slot "momentum" holds v = -lr * accum)
 *   theta <- theta + v
 * </pre>
 * whose weights are {@code theta} and whose gradient must be taken at the look-ahead point
 * {@code theta + momentum * v} (the caller reads {@code v} from the slot). With that gradient the two
 * forms visit the same points: TensorFlow's weights are always Sutskever's {@code theta + momentum * v}.
 * Fed the same gradient at the held weights, they differ by {@code momentum * v}.
 */
public final class Momentum extends SlotOptimizer {

    /** tensorflow-framework's {@code Momentum.LEARNING_RATE_DEFAULT}. */
    public static final double LEARNING_RATE_DEFAULT = 0.01f;
    /** tensorflow-framework's {@code Momentum.MOMENTUM_DEFAULT}. */
    public static final double MOMENTUM_DEFAULT = 0.0f;
    /** tensorflow-framework's slot name, {@code Momentum.MOMENTUM}. */
    public static final String MOMENTUM = "momentum";

    /** Which momentum update. */
    public enum Nesterov {
        /** Heavy ball: {@code w -= lr * accum}. TensorFlow's {@code use_nesterov=false}. */
        NONE,
        /** {@code w -= lr * g + lr * momentum * accum}, TensorFlow's {@code use_nesterov=true}. */
        TENSORFLOW,
        /** {@code v = momentum * v - lr * g; theta += v}, gradient expected at {@code theta + momentum * v}. */
        SUTSKEVER
    }

    /**
     * @param learningRate {@code lr}
     * @param momentum     {@code momentum} in [0, 1)
     * @param nesterov     the update form
     */
    public record Config(double learningRate, double momentum, Nesterov nesterov) {
        public Config {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("Momentum: learning rate must be finite and > 0, found "
                        + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("Momentum: momentum must be in [0, 1), found " + momentum);
            }
            if (nesterov == null) {
                throw new IllegalArgumentException("Momentum: nesterov must be given");
            }
        }

        /** From a spec of type {@code momentum} (NONE) or {@code nesterov} (TENSORFLOW's form). */
        public static Config of(OptimizerSpec spec) {
            Nesterov form = switch (spec.type()) {
                case MOMENTUM -> Nesterov.NONE;
                case NESTEROV -> Nesterov.TENSORFLOW;
                default -> throw new IllegalArgumentException("Momentum: expected a momentum or nesterov spec, found "
                        + spec.type().jsonName());
            };
            return new Config(spec.learningRate(), spec.get("momentum"), form);
        }

        public Config withNesterov(Nesterov form) {
            return new Config(learningRate, momentum, form);
        }
    }

    private final Config config;
    private final double lr;
    private final double mu;

    public Momentum(DataType dataType, Config config) {
        super("Momentum", dataType);
        this.config = config;
        this.lr = s.c(config.learningRate());
        this.mu = s.c(config.momentum());
    }

    public static Momentum of(OptimizerSpec spec, DataType dataType) {
        return new Momentum(dataType, Config.of(spec));
    }

    public Config config() {
        return config;
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        createSlot(weight, MOMENTUM, w, 0);
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        double[] accum = slot(weight, MOMENTUM);
        switch (config.nesterov()) {
            case NONE -> {
                for (int i = 0; i < n; i++) {
                    accum[i] = s.add(s.mul(accum[i], mu), g[i]);                     // accum * momentum + grad
                    w[i] = s.sub(w[i], s.mul(accum[i], lr));                         // var -= accum * lr
                }
            }
            case TENSORFLOW -> {
                for (int i = 0; i < n; i++) {
                    accum[i] = s.add(s.mul(accum[i], mu), g[i]);                     // accum * momentum + grad
                    double delta = s.add(s.mul(g[i], lr), s.mul(s.mul(accum[i], mu), lr));  // grad * lr + accum * momentum * lr
                    w[i] = s.sub(w[i], delta);
                }
            }
            case SUTSKEVER -> {
                // this form keeps v = -lr * accum in the slot
                for (int i = 0; i < n; i++) {
                    accum[i] = s.sub(s.mul(accum[i], mu), s.mul(g[i], lr));          // v = momentum * v - lr * g
                    w[i] = s.add(w[i], accum[i]);                                    // theta += v
                }
            }
            default -> throw new IllegalStateException("unreachable: " + config.nesterov());
        }
    }

    @Override
    public String toString() {
        return "Momentum{" + config + ", dataType=" + dataType() + "}";
    }
}
