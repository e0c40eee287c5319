package org.paritysuite.tf;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.initializers.VarianceScaling;
import org.tensorflow.framework.initializers.VarianceScaling.Distribution;
import org.tensorflow.framework.initializers.VarianceScaling.Mode;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * The reproducers of two known defects of tensorflow-framework's {@code VarianceScaling} (1.0.0 and 1.1.0),
 * the class behind {@code Glorot}, {@code He} and {@code LeCun}, read off its draws:
 * <ul>
 *   <li>{@link #uniformDrawsAreNonNegative()}: the {@code UNIFORM} distribution multiplies
 *       {@code StatelessRandomUniform}, which draws from {@code [0, 1)}, by {@code limit = sqrt(3 scale / n)}, so
 *       every weight lies in {@code [0, limit)}; Keras draws from {@code [-limit, limit)}.</li>
 *   <li>{@link #convFansCountInputChannelsTwice()}: for a kernel {@code [KH, KW, C, F]} the receptive field is
 *       the product of every dimension but the last ({@code KH KW C}) instead of all but the last two
 *       ({@code KH KW}), so {@code fan_in = KH KW C^2} and {@code fan_out = KH KW C F}; Keras has
 *       {@code KH KW C} and {@code KH KW F}.</li>
 * </ul>
 * The suite never uses the framework's initializers (weights come from {@code fixtures}), so these only
 * affect a TensorFlow Java user. Each method turns false the day tensorflow-framework is fixed, and throws
 * when the draws fit neither the defect nor Keras (re-examine by hand).
 */
public final class FrameworkVarianceScaling {

    /** A conv kernel {@code [KH, KW, C, F]} whose Keras fan_in (12) and framework fan_in (36) differ. */
    private static final long[] CONV_KERNEL = {2, 2, 3, 4};
    /** Enough draws that a symmetric distribution has a negative one but for a chance of 2^-4096. */
    private static final long[] DENSE_KERNEL = {64, 64};
    private static final long SEED = 7;

    private FrameworkVarianceScaling() {
    }

    /** Whether tensorflow-framework's uniform variance scaling still draws no negative weight. */
    public static boolean uniformDrawsAreNonNegative() {
        double[] draws = draw(DENSE_KERNEL, (tf, dims) ->
                new VarianceScaling<TFloat64>(1.0, Mode.FAN_IN, Distribution.UNIFORM, SEED).call(tf, dims, TFloat64.class));
        return Arrays.stream(draws).min().orElseThrow() >= 0;
    }

    /** Whether tensorflow-framework still computes a conv kernel's fan_in as {@code KH KW C^2}. */
    public static boolean convFansCountInputChannelsTwice() {
        double fanIn = impliedFan(CONV_KERNEL, Mode.FAN_IN);
        long kh = CONV_KERNEL[0];
        long kw = CONV_KERNEL[1];
        long c = CONV_KERNEL[2];
        if (isAbout(fanIn, kh * kw * c * c)) {
            return true;
        }
        if (isAbout(fanIn, kh * kw * c)) {
            return false;
        }
        throw new IllegalStateException("tensorflow-framework's VarianceScaling implies fan_in " + fanIn + " for "
                + Arrays.toString(CONV_KERNEL) + ", neither Keras's " + kh * kw * c + " nor the known defect's "
                + kh * kw * c * c + "; re-examine the known defect by hand");
    }

    /**
     * The fan tensorflow-framework's {@code VarianceScaling(1, mode, NORMAL)} divides by for {@code shape}
     * (fan_in, fan_out or their mean): its draws are {@code sqrt(1 / fan)} times the
     * {@code StatelessRandomNormal} draws of the same seed, so {@code fan = (base / draw)^2} up to rounding
     * (about 1e-15 relative).
     */
    public static double impliedFan(long[] shape, Mode mode) {
        double[] draws = draw(shape, (tf, dims) ->
                new VarianceScaling<TFloat64>(1.0, mode, Distribution.NORMAL, SEED).call(tf, dims, TFloat64.class));
        // The framework's own base draw: its seed pair is {seed, 0} (VarianceScaling.call).
        double[] base = draw(shape, (tf, dims) ->
                tf.random.statelessRandomNormal(dims, tf.constant(new long[] {SEED, 0}), TFloat64.class));
        double ratio = base[0] / draws[0];
        for (int i = 1; i < base.length; i++) {
            if (Math.abs(base[i] / draws[i] - ratio) > 1e-12 * Math.abs(ratio)) {
                throw new IllegalStateException("tensorflow-framework's VarianceScaling no longer scales its"
                        + " StatelessRandomNormal draw by one constant (element " + i + "); re-examine by hand");
            }
        }
        return ratio * ratio;
    }

    /** Whether a fan read off draws is {@code expected} up to the rounding of the draws. */
    private static boolean isAbout(double fan, long expected) {
        return Math.abs(fan - expected) <= 1e-9 * expected;
    }

    /** One run of the operand {@code init} builds for a tensor of shape {@code shape}, as doubles. */
    private static double[] draw(long[] shape, BiFunction<Ops, Operand<TInt64>, Operand<TFloat64>> init) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat64> out = init.apply(tf, tf.constant(shape));
            try (Result result = session.runner().fetch(out).run()) {
                TFloat64 tensor = (TFloat64) result.get(0);
                double[] values = new double[Math.toIntExact(tensor.shape().size())];
                tensor.asRawTensor().data().asDoubles().read(values);
                return values;
            }
        }
    }
}
