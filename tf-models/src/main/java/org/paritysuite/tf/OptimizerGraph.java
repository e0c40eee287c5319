package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.spec.OptimizerSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.AdaGrad;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Nadam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.RMSProp;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * A tensorflow-framework optimizer attached to a model's graph: one {@code applyGradients} over the
 * trainable variables with the gradients the training pass already computes (so the traced
 * gradients are exactly the ones applied), plus one {@code Assign} per batch-normalization moving
 * statistic, which makes a training step persist the updated statistics.
 *
 * <p>Why not {@code Optimizer.minimize}: its {@code computeGradients} takes every
 * {@code VariableV2} of the graph, batch normalization's moving statistics included, which the
 * loss does not reach (no gradient), and it would add a second copy of the backward pass.
 *
 * <p>Hyperparameters are passed as {@code float}, which is what the framework takes; it casts them
 * to the variables' type ({@link OptimizerSpec} already holds float32-rounded values).
 *
 * @param optimizer     the framework optimizer (it owns the slot variables)
 * @param train         the {@code applyGradients} target: a {@code NoOp} with a control dependency
 *                      on every update; the updates themselves depend on every gradient
 * @param movingAssigns the {@code Assign} ops of the moving statistics (empty without batch norm)
 * @param slots         for every trainable parameter in spec order, its slot variables by
 *                      trace name {@code <parameter>/<slot>}, in the order of {@link #slotNames}
 */
record OptimizerGraph<T extends TFloating>(OptimizerSpec spec, Optimizer optimizer, Op train, List<Op> movingAssigns,
                                           Map<String, Variable<T>> slots) {

    /** Adds the optimizer {@code spec} to the graph of {@code model}, training on its training pass. */
    static <T extends TFloating> OptimizerGraph<T> build(Graph graph, ModelGraph<T> model, OptimizerSpec spec) {
        TfParameters<T> parameters = model.parameters();
        List<ParameterSpec> specs = parameters.specs();
        List<Variable<T>> variables = parameters.variables();
        List<Variable<T>> trainable = parameters.trainableVariables();
        List<Output<T>> gradients = model.training().gradients();
        if (trainable.size() != gradients.size()) {
            throw new IllegalStateException(trainable.size() + " trainable variables but " + gradients.size()
                    + " gradients");
        }
        Optimizer optimizer = create(graph, spec);
        List<Optimizer.GradAndVar<? extends TType>> pairs = new ArrayList<>();
        for (int i = 0; i < trainable.size(); i++) {
            pairs.add(new Optimizer.GradAndVar<>(gradients.get(i), trainable.get(i).asOutput()));
        }
        Op train = optimizer.applyGradients(pairs, "train_step");

        Ops tf = model.tf();
        List<Op> movingAssigns = new ArrayList<>();
        for (Map.Entry<String, ? extends org.tensorflow.Operand<T>> update : model.training().movingStatistics().entrySet()) {
            int index = indexOf(specs, update.getKey());
            movingAssigns.add(tf.withName(update.getKey().replace('/', '_') + "_assign")
                    .assign(variables.get(index), update.getValue()));
        }

        Map<String, Variable<T>> slots = new LinkedHashMap<>();
        int next = 0;
        for (ParameterSpec p : specs) {
            if (!p.trainable()) {
                continue;
            }
            Variable<T> variable = trainable.get(next++);
            for (String slotName : slotNames(spec)) {
                Variable<T> slot = optimizer.getSlot(variable.asOutput(), slotName)
                        .orElseThrow(() -> new IllegalStateException(optimizer.getOptimizerName() + " has no slot '"
                                + slotName + "' for " + p.name()));
                slots.put(p.name() + "/" + slotName, slot);
            }
        }
        return new OptimizerGraph<>(spec, optimizer, train, List.copyOf(movingAssigns), slots);
    }

    /**
     * The framework optimizer for {@code spec}, hyperparameters as float: sgd {@link GradientDescent},
     * momentum and nesterov {@link Momentum} (nesterov flag), rmsprop {@link RMSProp} (decay = rho),
     * adam {@link OrderedAdam} (the framework's {@link Adam} with its beta-power race fixed), nadam
     * {@link Nadam}, adagrad {@link AdaGrad}.
     */
    static Optimizer create(Graph graph, OptimizerSpec spec) {
        float lr = (float) spec.learningRate();
        return switch (spec.type()) {
            case SGD -> new GradientDescent(graph, lr);
            case MOMENTUM -> new Momentum(graph, lr, f(spec, "momentum"), false);
            case NESTEROV -> new Momentum(graph, lr, f(spec, "momentum"), true);
            case RMSPROP -> new RMSProp(graph, lr, f(spec, "rho"), f(spec, "momentum"), f(spec, "epsilon"),
                    spec.get("centered") == 1);
            case ADAM -> new OrderedAdam(graph, lr, f(spec, "beta_1"), f(spec, "beta_2"), f(spec, "epsilon"));
            case NADAM -> new Nadam(graph, lr, f(spec, "beta_1"), f(spec, "beta_2"), f(spec, "epsilon"));
            case ADAGRAD -> new AdaGrad(graph, lr, f(spec, "initial_accumulator_value"));
        };
    }

    /**
     * The framework's slot names (its public constants) for every trainable variable, in trace
     * order: none for sgd; {@code momentum} for momentum and nesterov; {@code rms}, {@code mg}
     * (centered only), {@code momentum} for rmsprop; {@code m}, {@code v} for adam; {@code m},
     * {@code v}, {@code momentum} for nadam (its per-variable {@code momentum} slot is created,
     * filled with ones and never used); {@code accumulator} for adagrad.
     */
    static List<String> slotNames(OptimizerSpec spec) {
        return switch (spec.type()) {
            case SGD -> List.of();
            case MOMENTUM, NESTEROV -> List.of(Momentum.MOMENTUM);
            case RMSPROP -> spec.get("centered") == 1 ? List.of(RMSProp.RMS, RMSProp.MG, RMSProp.MOMENTUM)
                    : List.of(RMSProp.RMS, RMSProp.MOMENTUM);
            case ADAM -> List.of(Adam.FIRST_MOMENT, Adam.SECOND_MOMENT);
            case NADAM -> List.of(Nadam.FIRST_MOMENT, Nadam.SECOND_MOMENT, Nadam.MOMENTUM);
            case ADAGRAD -> List.of(AdaGrad.ACCUMULATOR);
        };
    }

    private static float f(OptimizerSpec spec, String name) {
        return (float) spec.get(name);
    }

    private static int indexOf(List<ParameterSpec> specs, String name) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no parameter named '" + name + "'");
    }
}
