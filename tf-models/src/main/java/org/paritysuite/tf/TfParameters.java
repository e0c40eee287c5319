package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * The parameters of one graph: one {@code VariableV2} per {@link ParameterSpec}, in the canonical
 * TensorFlow layout, plus what it takes to set and read their values. That includes the
 * non-trainable ones (batch normalization's moving statistics): they are part of the weights, are
 * loaded and read like the others, but get no gradient.
 *
 * <p>Each variable {@code dense/kernel} comes with a placeholder {@code dense/kernel_value} and an
 * {@code Assign} op {@code dense/kernel_assign}. Values are loaded by feeding the placeholders,
 * not by baking them into the graph as constants: the graph stays small (a 784x128 kernel as a
 * constant would be copied into the GraphDef) and the same graph can be reloaded.
 *
 * <p>{@code VariableV2} (rather than a resource variable) is what tensorflow-framework 1.0's
 * optimizers look for when they collect the variables of a graph.
 *
 * @param <T> the tensor type, {@code TFloat32} or {@code TFloat64}
 */
final class TfParameters<T extends TFloating> {

    private record Slot<T extends TFloating>(ParameterSpec spec, Variable<T> variable, Operand<T> read,
                                             Placeholder<T> value, Assign<T> assign) {
    }

    private final Class<T> type;
    private final List<Slot<T>> slots = new ArrayList<>();

    TfParameters(Class<T> type) {
        this.type = type;
    }

    /**
     * Adds the variable for {@code spec}, named {@code opName} inside {@code tf}'s scope, and
     * returns its value as the layer should use it: an {@code Identity} {@code layer/opName/read}.
     *
     * <p>NOTE: every use goes through that read, as in TensorFlow 1's Python variables. A
     * {@code VariableV2} output has a reference type ({@code DT_FLOAT_REF}); some C++ gradient
     * functions cannot handle one as an op input: {@code tf.math.square(variable)} makes
     * {@code Graph.addGradients} crash the JVM with a SIGSEGV in {@code SquareGrad}. Gradients are
     * still taken with respect to the variables themselves ({@link #variables()}).
     *
     * @param tf     ops in the owning layer's name scope, so the variable is {@code layer/opName}
     * @param opName the variable's own name, e.g. {@code kernel}
     */
    Operand<T> create(Ops tf, ParameterSpec spec, String opName) {
        if (slots.stream().anyMatch(s -> s.spec().name().equals(spec.name()))) {
            throw new IllegalStateException("parameter '" + spec.name() + "' is created twice");
        }
        Shape shape = Shape.of(shapeOf(spec));
        // The VariableV2 itself sits at the top level, named like the parameter with '.' for '/':
        // tensorflow-framework names a slot "<variable op name>-<slot>" with Ops.withName, which
        // rejects a '/', so a variable inside a name scope cannot get optimizer slots.
        Variable<T> variable = Ops.create(tf.scope().env()).withName(variableName(spec)).variable(shape, type);
        Operand<T> read = tf.withSubScope(opName).withName("read").identity(variable);
        Placeholder<T> value = tf.withName(opName + "_value").placeholder(type, Placeholder.shape(shape));
        Assign<T> assign = tf.withName(opName + "_assign").assign(variable, value);
        slots.add(new Slot<>(spec, variable, read, value, assign));
        return read;
    }

    /** The op name of a parameter's {@code VariableV2}: its name with '.' for '/', e.g. {@code dense.kernel}. */
    static String variableName(ParameterSpec spec) {
        return spec.name().replace('/', '.');
    }

    /** The tensor type of every variable. */
    Class<T> type() {
        return type;
    }

    /** The variables in creation order, which is the spec's parameter order. */
    List<Variable<T>> variables() {
        return slots.stream().map(Slot::variable).toList();
    }

    /**
     * The variables of the trainable parameters (those with a gradient), in creation order:
     * everything but batch normalization's moving statistics.
     */
    List<Variable<T>> trainableVariables() {
        return slots.stream().filter(s -> s.spec().trainable()).map(Slot::variable).toList();
    }

    /** The parameter specs in the same order as {@link #variables()}. */
    List<ParameterSpec> specs() {
        return slots.stream().map(Slot::spec).toList();
    }

    /** The value (the {@code read} identity) of the parameter with this name, e.g. {@code dense/kernel}. */
    Operand<T> read(String name) {
        return slot(name).read();
    }

    /** The {@code VariableV2} of the parameter with this name, what gradients are taken with respect to. */
    Variable<T> variable(String name) {
        return slot(name).variable();
    }

    private Slot<T> slot(String name) {
        return slots.stream().filter(s -> s.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter named '" + name + "'"));
    }

    /**
     * Sets every variable to its value in {@code weights}, in one session run. The shapes are
     * checked before anything is fed; float64 values are rounded to float32 for a float32 graph.
     */
    void load(Session session, WeightSet weights) {
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Slot<T> slot : slots) {
                T tensor = TensorConverter.toTensor("weight '" + slot.spec().name() + "'",
                        weights.get(slot.spec().name()), shapeOf(slot.spec()), type);
                fed.add(tensor);
                runner.feed(slot.value(), tensor).addTarget(slot.assign());
            }
            // Assign ops run as targets and fetch nothing, but the (empty) Result is still closed.
            runner.run().close();
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    /**
     * The current values of all variables, by parameter name in parameter order, as fresh ND4J
     * arrays in the graph's precision. A fetched {@code VariableV2} tensor shares its memory with
     * the variable, so each is copied while the result is still open and before anything else runs.
     */
    Map<String, INDArray> read(Session session) {
        Session.Runner runner = session.runner();
        slots.forEach(s -> runner.fetch(s.variable()));
        Map<String, INDArray> values = new LinkedHashMap<>();
        try (Result result = runner.run()) {
            for (int i = 0; i < slots.size(); i++) {
                ParameterSpec p = slots.get(i).spec();
                values.put(p.name(), TensorConverter.toIndArray("weight '" + p.name() + "'", result.get(i), shapeOf(p)));
            }
        }
        return values;
    }

    /** The parameter's shape as TensorFlow and ND4J want it. */
    static long[] shapeOf(ParameterSpec p) {
        return p.shape().stream().mapToLong(Integer::longValue).toArray();
    }
}
