package org.paritysuite.tf;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.regularizers.L2;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The reproducer of a known departure of tensorflow-framework's {@code L2} regularizer (1.0.0 and 1.1.0) from
 * Keras in float64 graphs: it takes and stores {@code l2} as a {@code float} and casts that constant to the
 * weights' type ({@code L1L2.call}), so a float64 graph computes {@code (double) 0.01f * sum(W^2)} =
 * {@code 0.009999999776482582 * sum(W^2)}, 2.2e-8 relative below Keras's {@code 0.01 * sum(W^2)} (Keras multiplies
 * by the Python double). The suite builds its own penalty with {@code lambda} in the graph's type
 * ({@code LossGraph.l2Penalty}) and never uses the class.
 */
public final class FrameworkL2Lambda {

    private FrameworkL2Lambda() {
    }

    /**
     * Whether tensorflow-framework's default {@code L2()} still weighs a float64 kernel by {@code (double) 0.01f}:
     * its penalty on {@code W = [[1]]} is {@code lambda} itself.
     */
    public static boolean roundsLambdaToFloatInFloat64() {
        double lambda;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat64> penalty = new L2().call(tf, tf.constant(new double[][] {{1}}));
            try (Result result = session.runner().fetch(penalty).run()) {
                lambda = ((TFloat64) result.get(0)).getDouble();
            }
        }
        if (lambda == (double) 0.01f) {
            return true;
        }
        if (lambda == 0.01) {
            return false;
        }
        throw new IllegalStateException("tensorflow-framework's default L2 weighs a float64 kernel by " + lambda
                + ", neither Keras's 0.01 nor (double) 0.01f; re-examine the known difference by hand");
    }
}
