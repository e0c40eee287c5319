package org.paritysuite.tf;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * The reproducer of a known TensorFlow Java hazard (1.0.0 and 1.1.0): a {@code Tensor} fetched from a session for a
 * variable, directly or through its {@code Identity} read, is not a snapshot. {@code Session.run} hands back the
 * runtime's output buffer without a copy, and for a {@code VariableV2} (and an {@code Identity} of it, which
 * forwards its input's buffer) that buffer is the variable's own, which an optimizer's in-place update
 * ({@code ApplyGradientDescent} and the other {@code Apply*} kernels) overwrites: a tensor fetched after step 1 and
 * read after step 4 holds the weights of step 4. The suite copies every fetched tensor into ND4J before the next
 * run ({@code TfModel}'s traces), which is the workaround; a user who keeps the {@code Result} gets moving numbers.
 */
public final class FetchedVariableAliasing {

    /** Two readings of one fetched tensor: as fetched, and after {@link #LATER_STEPS} more steps. */
    record Readings(double[] asFetched, double[] afterLaterSteps) {
    }

    static final int LATER_STEPS = 3;
    static final double[] W = {1.0, -2.0, 0.5};
    static final double[] G = {3.0, 0.25, -7.0};
    static final float LEARNING_RATE = 0.1f;

    private FetchedVariableAliasing() {
    }

    /** Whether a tensor fetched through a variable's {@code Identity} read still changes with later steps. */
    public static boolean reproduces() {
        Readings r = readings(true);
        return !Arrays.equals(r.asFetched(), r.afterLaterSteps());
    }

    /**
     * One GradientDescent step on {@code W} with the constant gradient {@code G}, the variable fetched (through its
     * {@code Identity} read if {@code throughRead}), {@link #LATER_STEPS} more steps, and the same fetched tensor read
     * again.
     */
    static Readings readings(boolean throughRead) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Variable<TFloat64> w = tf.withName("w").variable(tf.constant(W));
            Op step = new GradientDescent(graph, LEARNING_RATE).applyGradients(
                    List.of(new Optimizer.GradAndVar<>(tf.constant(G).asOutput(), w.asOutput())), "train");
            Operand<TFloat64> fetched = throughRead ? tf.identity(w) : w;
            session.runner().addTarget(step).run().close();
            try (Result result = session.runner().fetch(fetched).run()) {
                TFloat64 tensor = (TFloat64) result.get(0);
                double[] asFetched = read(tensor);
                for (int i = 0; i < LATER_STEPS; i++) {
                    session.runner().addTarget(step).run().close();
                }
                return new Readings(asFetched, read(tensor));
            }
        }
    }

    private static double[] read(TFloat64 tensor) {
        double[] values = new double[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asDoubles().read(values);
        return values;
    }
}
