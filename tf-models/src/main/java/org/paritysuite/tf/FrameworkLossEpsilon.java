package org.paritysuite.tf;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.KLDivergence;
import org.tensorflow.framework.losses.Losses;
import org.tensorflow.framework.losses.impl.AbstractLoss;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The reproducers of two places where tensorflow-framework's probability-mode losses (1.0.0 and 1.1.0) depart
 * from Keras 3 (the Keras of TensorFlow 2.18), both about the clip bound {@code epsilon = 1e-7}:
 * <ul>
 *   <li>{@link #binaryCrossentropyAddsEpsilonInLog()}: {@code BinaryCrossentropy} clips the output to
 *       {@code [eps, 1 - eps]} and then also adds {@code eps} inside both logarithms,
 *       {@code -(y log(p + eps) + (1 - y) log(1 - p + eps))} (the formula of Keras 2's {@code tf.keras}); Keras 3
 *       takes {@code log(p)} and {@code log(1 - p)} of the clipped output. A saturated wrong output costs
 *       {@code -log(2 eps) = 15.42} instead of {@code -log(eps) = 16.12}.</li>
 *   <li>{@link #clipsAtFloatBoundInFloat64()}: the bound is the float constant {@code Losses.EPSILON = 1e-7f}
 *       cast to the graph's type, so a float64 graph clips at {@code 1.0000000116860974e-7}, not {@code 1e-7}
 *       (KLDivergence, and CategoricalCrossentropy and BinaryCrossentropy in probability mode).</li>
 * </ul>
 * Each method turns false the day tensorflow-framework follows Keras 3, and throws when the value fits neither.
 */
public final class FrameworkLossEpsilon {

    /** Keras's {@code backend.epsilon()}. */
    private static final double KERAS_EPSILON = 1e-7;

    private FrameworkLossEpsilon() {
    }

    /** Whether tensorflow-framework's BinaryCrossentropy still charges {@code -log(2 eps)} for output 0, label 1. */
    public static boolean binaryCrossentropyAddsEpsilonInLog() {
        double loss = evaluate(new BinaryCrossentropy(), new double[][] {{1}}, new double[][] {{0}});
        double bound = Losses.EPSILON;
        return decide("BinaryCrossentropy(label 1, output 0)", loss, -Math.log(bound + bound), -Math.log(bound), 1e-9);
    }

    /**
     * Whether tensorflow-framework's KLDivergence still clips a float64 output at {@code (double) 1e-7f}: with label
     * {@code [1, 0]} and output {@code [0, 1]} the loss is {@code -log(b) + b log(b)}, {@code b} the bound; the two
     * bounds' losses differ by 1.17e-8, a hundred thousand times float64's rounding here.
     */
    public static boolean clipsAtFloatBoundInFloat64() {
        double loss = evaluate(new KLDivergence(), new double[][] {{1, 0}}, new double[][] {{0, 1}});
        return decide("KLDivergence([1, 0], [0, 1]) in float64", loss, klOfSwappedOneHot(Losses.EPSILON),
                klOfSwappedOneHot(KERAS_EPSILON), 1e-13);
    }

    private static double klOfSwappedOneHot(double bound) {
        return -Math.log(bound) + bound * Math.log(bound);
    }

    /** True if {@code loss} is the defect's value, false if Keras's, thrown otherwise. */
    private static boolean decide(String what, double loss, double defect, double keras, double tolerance) {
        if (Math.abs(loss - defect) <= tolerance * Math.abs(defect)) {
            return true;
        }
        if (Math.abs(loss - keras) <= tolerance * Math.abs(keras)) {
            return false;
        }
        throw new IllegalStateException("tensorflow-framework's " + what + " is " + loss + ", neither the known"
                + " defect's " + defect + " nor Keras's " + keras + "; re-examine the known defect by hand");
    }

    /** The loss's value in a float64 graph. */
    private static double evaluate(AbstractLoss loss, double[][] labels, double[][] predictions) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat64> value = loss.call(tf, tf.constant(labels), tf.constant(predictions));
            try (Result result = session.runner().fetch(value).run()) {
                return ((TFloat64) result.get(0)).getDouble();
            }
        }
    }
}
