package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Adam on TensorFlow's own {@code ApplyAdam} kernel, exactly as tensorflow-framework's (1.0.0 and 1.1.0)
 * {@code Adam} builds it, with the one ordering that class lacks: the beta powers advance after
 * every {@code ApplyAdam} of the step has read them.
 *
 * <p>Why not the framework class: its {@code finish} adds {@code beta1_power *= beta1} and
 * {@code beta2_power *= beta2} to the step's target list without a control dependency on the
 * update ops, so within one session run the scheduler may let an {@code ApplyAdam} read the power
 * before or after it was advanced: the first step's bias correction came out as the {@code t = 2}
 * one in one run (0.744 times the documented update) and as 0.526 times in another (see
 * {@code docs/tensorflow-side.md}). Python TensorFlow's {@code AdamOptimizer._finish} wraps the
 * same assignments in {@code control_dependencies(update_ops)}; this class does the same and
 * nothing else.
 *
 * <p>Everything else follows the framework class on purpose, so that what is verified is
 * TensorFlow's kernel and the framework's conventions: slots {@code m} and {@code v} start at
 * zero; {@code beta1_power} and {@code beta2_power} are float32 variables starting at
 * {@code beta1}, {@code beta2}, multiplied in float32 after each step and cast to the variable's
 * type; hyperparameters are float constants cast likewise; epsilon is "epsilon hat"
 * ({@code lr_t * m / (sqrt(v) + epsilon)}).
 */
final class OrderedAdam extends org.tensorflow.framework.optimizers.Optimizer {

    private final float learningRate;
    private final float betaOne;
    private final float betaTwo;
    private final float epsilon;
    private Variable<TFloat32> betaOnePower;
    private Variable<TFloat32> betaTwoPower;

    OrderedAdam(Graph graph, float learningRate, float betaOne, float betaTwo, float epsilon) {
        super(graph, "Adam");
        this.learningRate = learningRate;
        this.betaOne = betaOne;
        this.betaTwo = betaTwo;
        this.epsilon = epsilon;
    }

    @Override
    protected void createSlots(List<Output<? extends TType>> variables) {
        for (Output<? extends TType> v : variables) {
            createZeroSlot(v, org.tensorflow.framework.optimizers.Adam.FIRST_MOMENT);
            createZeroSlot(v, org.tensorflow.framework.optimizers.Adam.SECOND_MOMENT);
        }
        Ops init = tf.withInitScope();
        betaOnePower = init.withName("beta1_power").variable(Shape.scalar(), TFloat32.class);
        init.assign(betaOnePower, tf.constant(betaOne));
        betaTwoPower = init.withName("beta2_power").variable(Shape.scalar(), TFloat32.class);
        init.assign(betaTwoPower, tf.constant(betaTwo));
    }

    private <T extends TType> void createZeroSlot(Output<T> v, String name) {
        createSlot(v.asOutput(), name, tf.fill(tf.constant(v.shape().asArray()), tf.dtypes.cast(tf.constant(0.0f),
                v.type())));
    }

    @Override
    protected <T extends TType> Op applyDense(Ops ops, Output<T> gradient, Output<T> variable) {
        Variable<T> m = getSlot(variable, org.tensorflow.framework.optimizers.Adam.FIRST_MOMENT).orElseThrow();
        Variable<T> v = getSlot(variable, org.tensorflow.framework.optimizers.Adam.SECOND_MOMENT).orElseThrow();
        Class<T> type = variable.type();
        return ops.train.applyAdam(variable, m, v,
                ops.dtypes.cast(betaOnePower, type), ops.dtypes.cast(betaTwoPower, type),
                ops.dtypes.cast(ops.constant(learningRate), type), ops.dtypes.cast(ops.constant(betaOne), type),
                ops.dtypes.cast(ops.constant(betaTwo), type), ops.dtypes.cast(ops.constant(epsilon), type),
                gradient);
    }

    /** The beta powers advance after, and only after, every update of the step (the missing ordering). */
    @Override
    protected Op finish(List<Op> updateOperations, String name) {
        Ops afterUpdates = tf.withControlDependencies(updateOperations);
        List<Op> all = new ArrayList<>(updateOperations);
        all.add(afterUpdates.assign(betaOnePower, afterUpdates.math.mul(betaOnePower, tf.constant(betaOne))));
        all.add(afterUpdates.assign(betaTwoPower, afterUpdates.math.mul(betaTwoPower, tf.constant(betaTwo))));
        return super.finish(all, name);
    }

    @Override
    protected Optional<Op> prepare(String scopeName) {
        return Optional.empty();
    }

    @Override
    public String getOptimizerName() {
        return "Adam";
    }

    @Override
    public String toString() {
        return "OrderedAdam{learningRate=" + learningRate + ", betaOne=" + betaOne + ", betaTwo=" + betaTwo
                + ", epsilon=" + epsilon + "}";
    }
}
