package org.paritysuite.reference.optim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.OptimizerSpec;

/**
 * Nadam: Adam with Nesterov momentum and a warming-up momentum schedule, as published by Dozat and
 * implemented by tf.keras (the default), or exactly as tensorflow-framework 1.0.0 computes it
 * (an option, because it departs from the published algorithm).
 *
 * <pre>
 *   mu_t      = beta1 * (1 - 0.5 * 0.96^(0.004 * t))           momentum schedule (0.004 = 1/250)
 *   mu_{t+1}  = beta1 * (1 - 0.5 * 0.96^(0.004 * (t + 1)))
 *   prod_t    = prod_{i=1..t} mu_i                            scalar "momentum cache", starts at 1
 *   g'        = g / (1 - prod_t)
 *   m         = beta1 * m + (1 - beta1) * g                   (slot "m", starts at 0)
 *   m'        = m / (1 - prod_t * mu_{t+1})
 *   v         = beta2 * v + (1 - beta2) * g^2                 (slot "v", starts at 0)
 *   v'        = v / (1 - beta2^t)
 *   m_bar     = (1 - mu_t) * g' + mu_{t+1} * m'
 *   w         = w - lr * m_bar / (sqrt(v') + epsilon)
 * </pre>
 *
 * <p>Sources: Dozat, "Incorporating Nesterov momentum into Adam", ICLR 2016 workshop, Algorithm 2
 * (and the CS229 report of 2015 that tensorflow-framework cites); the schedule
 * {@code mu_t = beta1 (1 - 0.5 * 0.96^(t/250))} is the paper's. tf.keras {@code Nadam}
 * ({@code keras/optimizers/optimizer_v2/nadam.py}, {@code _prepare_local} and
 * {@code _resource_apply_dense}) computes exactly the formula above with {@code t = iterations + 1}
 * read from a variable at run time. TensorFlow has no Nadam kernel: tensorflow-framework's
 * {@code org.tensorflow.framework.optimizers.Nadam} composes {@code Mul}, {@code Sub}, {@code Pow},
 * {@code Div}, {@code Sqrt}, {@code Assign} ops in the same order ({@code Nadam.prepare},
 * {@code Nadam.applyDense}); this class evaluates them in that order.
 *
 * <h2>Where tensorflow-framework departs: {@link Schedule#TENSORFLOW_FRAMEWORK}</h2>
 *
 * <p>{@code Nadam.prepare} builds the step number into the graph as Java constants,
 * {@code localStepConst = tf.constant(this.iterations + 1)} and {@code nextStepConst =
 * tf.constant(this.iterations + 2)}, and {@code iterations} is a Java field incremented in
 * {@code Nadam.finish}, which runs when the training op is <em>built</em>
 * ({@code Optimizer.applyGradients}, i.e. {@code minimize}), not when it is run. A training op built
 * once and run N times therefore computes, at every run n = 1..N:
 * <pre>
 *   mu_t     = mu_1 = beta1 * (1 - 0.5 * 0.96^0.004)      frozen at t = 1
 *   mu_{t+1} = mu_2 = beta1 * (1 - 0.5 * 0.96^0.008)      frozen at t = 2
 *   prod_n   = mu_1^n                                      the scalar variable "momentum" *= mu_1 each run
 *   g'       = g / (1 - mu_1^n)
 *   m'       = m / (1 - mu_1^n * mu_2)
 *   v'       = v / (1 - beta2)                             bias correction frozen at t = 1
 *   m_bar    = (1 - mu_1) * g' + mu_2 * m'
 * </pre>
 * Step 1 is the published step; from step 2 on the two differ: the momentum weights stop warming up
 * and, above all, the second moment is divided by {@code 1 - beta2 = 0.001} forever instead of by
 * {@code 1 - beta2^t} (which tends to 1), so {@code sqrt(v')} is too large by up to
 * {@code sqrt(1000) ~ 31.6} and late steps are up to ~31.6 times smaller than the published ones.
 * The suite reports this as a known TensorFlow-side divergence. Further details of the framework:
 * its schedule scalars are float32 whatever the variables' type (cast to it when used); it creates a
 * per-variable slot "momentum" filled with ones that is never read or written after creation (kept
 * here under that name in this mode only, so the slot sets compare); its {@code beta1_power} and
 * {@code beta2_power} variables are updated in {@code finish} but never read.
 */
public final class Nadam extends SlotOptimizer {

    public static final double LEARNING_RATE_DEFAULT = 0.001f;
    public static final double BETA_ONE_DEFAULT = 0.9f;
    public static final double BETA_TWO_DEFAULT = 0.999f;
    /** tensorflow-framework's {@code Nadam.EPSILON_DEFAULT} (Keras: 1e-7). */
    public static final double EPSILON_DEFAULT = 1e-8f;
    /**
     * The schedule's base, Dozat's 0.96; rounded to the schedule's type when used (tensorflow-framework's
     * private {@code Nadam.DECAY_BASE = 0.96f}; tf.keras casts 0.96 to the variable's type).
     */
    public static final double DECAY_BASE = 0.96;
    /** The schedule's rate, Dozat's 1/250 (tensorflow-framework's private {@code Nadam.DECAY = 0.004f}; tf.keras' 0.004). */
    public static final double DECAY = 0.004;
    /** tensorflow-framework's slot names {@code Nadam.FIRST_MOMENT}, {@code SECOND_MOMENT}, {@code MOMENTUM}. */
    public static final String FIRST_MOMENT = "m";
    public static final String SECOND_MOMENT = "v";
    public static final String MOMENTUM = "momentum";

    /** How the step number enters the schedule. */
    public enum Schedule {
        /** Dozat 2016 Algorithm 2 / tf.keras: {@code t} advances every step; coefficients in the data type. */
        PUBLISHED,
        /**
         * tensorflow-framework 1.0.0 with the training op built once: {@code t} frozen at 1 in
         * {@code mu_t} and {@code 1 - beta2^t}, at 2 in {@code mu_{t+1}}; coefficients in float32.
         */
        TENSORFLOW_FRAMEWORK
    }

    /**
     * @param learningRate {@code lr}
     * @param beta1        decay of {@code m}, scale of the schedule
     * @param beta2        decay of {@code v}
     * @param epsilon      {@code epsilon}
     * @param schedule     default {@link Schedule#PUBLISHED}
     */
    public record Config(double learningRate, double beta1, double beta2, double epsilon, Schedule schedule) {
        public Config {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("Nadam: learning rate must be finite and > 0, found "
                        + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Nadam: beta1 and beta2 must be in [0, 1), found beta1=" + beta1
                        + ", beta2=" + beta2);
            }
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("Nadam: epsilon must be finite and >= 0, found " + epsilon);
            }
            if (schedule == null) {
                throw new IllegalArgumentException("Nadam: schedule must be given");
            }
        }

        /** From a spec of type {@code nadam}, with the published schedule. */
        public static Config of(OptimizerSpec spec) {
            return new Config(spec.learningRate(), spec.get("beta_1"), spec.get("beta_2"), spec.get("epsilon"),
                    Schedule.PUBLISHED);
        }

        public Config withSchedule(Schedule s) {
            return new Config(learningRate, beta1, beta2, epsilon, s);
        }
    }

    private final Config config;
    /** Arithmetic of the schedule scalars: the data type (published) or float32 (tensorflow-framework). */
    private final Scalars k;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    /** {@code prod_t}, the momentum cache, in the schedule's arithmetic; 1 before the first step. */
    private double momentumCache = 1;
    // The coefficients of the current step (tensorflow-framework's names).
    private double mT;
    private double mT1;
    private double oneMinusMT;
    private double oneMinusMScheduleNew;
    private double oneMinusMScheduleNext;
    private double vTPrimeDenominator;
    private double oneMinusBeta1;
    private double oneMinusBeta2;

    public Nadam(DataType dataType, Config config) {
        super("Nadam", dataType);
        this.config = config;
        this.k = config.schedule() == Schedule.PUBLISHED ? s : Scalars.of(DataType.FLOAT);
        this.lr = s.c(config.learningRate());
        this.beta1 = s.c(config.beta1());
        this.beta2 = s.c(config.beta2());
        this.epsilon = s.c(config.epsilon());
    }

    public static Nadam of(OptimizerSpec spec, DataType dataType) {
        return new Nadam(dataType, Config.of(spec));
    }

    public Config config() {
        return config;
    }

    /** {@code prod_{i<=t} mu_i} after the last step (1 before the first): Keras' {@code momentum_cache}. */
    public double momentumCache() {
        return momentumCache;
    }

    @Override
    protected void createSlots(String weight, INDArray w) {
        createSlot(weight, FIRST_MOMENT, w, 0);
        createSlot(weight, SECOND_MOMENT, w, 0);
        if (config.schedule() == Schedule.TENSORFLOW_FRAMEWORK) {
            createSlot(weight, MOMENTUM, w, 1);          // createNadamSlot: filled with 1, never updated
        }
    }

    @Override
    protected void prepare(int t) {
        int localStep = config.schedule() == Schedule.PUBLISHED ? t : 1;     // iterations + 1 at build time
        int nextStep = localStep + 1;                                           // iterations + 2
        double b1 = k.c(config.beta1());
        double b2 = k.c(config.beta2());
        mT = muAt(b1, localStep);
        mT1 = muAt(b1, nextStep);
        momentumCache = k.mul(momentumCache, mT);              // mScheduleNew = momentum * mT; assigned back
        double mScheduleNext = k.mul(momentumCache, mT1);      // mScheduleNew * mT1
        oneMinusMT = k.sub(1, mT);
        oneMinusMScheduleNew = k.sub(1, momentumCache);
        oneMinusMScheduleNext = k.sub(1, mScheduleNext);
        vTPrimeDenominator = k.sub(1, k.pow(b2, localStep));   // 1 - beta2^localStep
        oneMinusBeta1 = s.c(k.sub(1, b1));                      // tensorflow-framework: float32, cast to T
        oneMinusBeta2 = s.c(k.sub(1, b2));
    }

    /** {@code beta1 * (1 - 0.5 * 0.96^(0.004 * step))}, in the schedule's arithmetic. */
    private double muAt(double b1, int step) {
        double exponent = k.mul(k.c(DECAY), step);
        return k.mul(b1, k.sub(1, k.mul(0.5, k.pow(k.c(DECAY_BASE), exponent))));
    }

    @Override
    protected void update(String weight, double[] w, double[] g, int n) {
        double[] m = slot(weight, FIRST_MOMENT);
        double[] v = slot(weight, SECOND_MOMENT);
        for (int i = 0; i < n; i++) {
            double gPrime = s.div(g[i], s.c(oneMinusMScheduleNew));                        // g / (1 - prod_t)
            m[i] = s.add(s.mul(m[i], beta1), s.mul(g[i], oneMinusBeta1));                 // beta1 m + (1 - beta1) g
            double mPrime = s.div(m[i], s.c(oneMinusMScheduleNext));                       // m / (1 - prod_t mu_{t+1})
            v[i] = s.add(s.mul(v[i], beta2), s.mul(s.mul(g[i], g[i]), oneMinusBeta2));    // beta2 v + (1 - beta2) g^2
            double vPrime = s.div(v[i], s.c(vTPrimeDenominator));                          // v / (1 - beta2^t)
            double mBar = s.add(s.mul(gPrime, s.c(oneMinusMT)), s.mul(mPrime, s.c(mT1)));  // (1-mu_t) g' + mu_{t+1} m'
            w[i] = s.sub(w[i], s.div(s.mul(mBar, lr), s.add(s.sqrt(vPrime), epsilon)));  // w - lr m_bar/(sqrt(v')+eps)
        }
    }

    @Override
    public String toString() {
        return "Nadam{" + config + ", dataType=" + dataType() + "}";
    }
}
