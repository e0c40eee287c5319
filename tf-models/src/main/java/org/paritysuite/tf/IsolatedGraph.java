package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * Every layer of the model on its own, in one mode, for per-layer isolation
 * ({@link TfLayerwise#isolated}): a copy of the layers, built by {@link ModelGraph#buildLayers}
 * on the model's own variables (a pass that creates none reads them), in which each layer reads
 * a placeholder of its own instead of the previous layer's output.
 *
 * <p>For layer {@code k} with input shape {@code in_k} and output shape {@code out_k}, trainable
 * parameters {@code W_k} and L2 penalties {@code P_k = sum lambda sum(W^2)} over its regularised
 * parameters:
 * <pre>
 *   forward    output_k = layer_k(input_k)                  input_k [N, ...in_k] fed
 *   backward   k &lt; last:  d/d(input_k, W_k) of  sum(output_k * dOutput_k) + P_k,
 *                          dOutput_k [N, ...out_k] fed
 *              k = last:  d/d(input_k, W_k) of  dataLoss(y, layer_k) + P_k
 * </pre>
 * The first is {@code tf.gradients} with the initial gradients ({@code Gradients.dx}) set to
 * {@code dOutput_k} for the output and 1 for each penalty: TensorFlow starts its backward pass
 * from exactly the fed values, with no product or sum in between. The last layer's data loss is
 * {@link LossGraph#dataLoss} on the layer's {@link LayerOutput}, as in the whole model, so a
 * softmax cross-entropy starts from the layer's logits. The labels are the model's {@code y}.
 *
 * <p>A training copy applies its own dropout keep-mask placeholders and normalizes with the
 * statistics of the fed input; an inference copy makes dropout the identity and normalizes with
 * the moving statistics. Like the whole model's passes, a model without dropout and batch
 * normalization has one copy for both modes.
 *
 * <p>Graph layout, inside the copy's scope ({@code isolated/}, or {@code isolated_inference/} for
 * the inference copy of a model with an inference mode): per layer the placeholders
 * {@code <layer>_input} and (but the last) {@code <layer>_d_output}, the layer's ops under
 * {@code <layer>/} as in the whole model, and its backward pass under {@code <layer>_backward/}
 * (the last layer's loss under {@code <layer>_backward/<loss>/}).
 *
 * @param inputs       each layer's input placeholder {@code [N, ...in_k]}, in layer order
 * @param outputs      each layer's output (its activation) {@code [N, ...out_k]}
 * @param dOutputs     each layer's {@code dOutput} placeholder {@code [N, ...out_k]}, for every
 *                     layer but the last
 * @param dInputs      each layer's gradient with respect to its input placeholder
 * @param gradients    each layer's parameter gradients, in the order of {@code trainable}
 * @param trainable    each layer's trainable parameters, in spec order
 * @param dropoutMasks the keep-mask placeholders of the copy, by dropout layer name (training only)
 */
record IsolatedGraph<T extends TFloating>(List<Placeholder<T>> inputs, List<Operand<T>> outputs,
                                          List<Placeholder<T>> dOutputs, List<Output<T>> dInputs,
                                          List<List<Output<T>>> gradients, List<List<ParameterSpec>> trainable,
                                          Map<String, Placeholder<T>> dropoutMasks) {

    /**
     * Adds the isolated copy of {@code m}'s layers in {@code mode}.
     *
     * @param tf ops in the copy's scope, e.g. {@code isolated/}
     */
    static <T extends TFloating> IsolatedGraph<T> build(Ops tf, ModelGraph<T> m, ModelSpec spec, PassContext.Mode mode) {
        TfParameters<T> parameters = m.parameters();
        Class<T> type = parameters.type();
        List<LayerSpec> layers = spec.layers();
        List<List<Integer>> inputShapes = spec.layerInputShapes();
        List<List<Integer>> outputShapes = spec.layerOutputShapes();

        List<Placeholder<T>> inputs = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            inputs.add(placeholder(tf, layers.get(k).name() + "_input", inputShapes.get(k), type));
        }
        PassContext<T> pass = new PassContext<>(mode, parameters, false);
        List<LayerOutput<T>> built = ModelGraph.buildLayers(tf, spec, pass, (k, previous) -> inputs.get(k));

        List<Placeholder<T>> dOutputs = new ArrayList<>();
        List<Output<T>> dInputs = new ArrayList<>();
        List<List<Output<T>>> gradients = new ArrayList<>();
        List<List<ParameterSpec>> trainable = new ArrayList<>();
        int last = layers.size() - 1;
        for (int k = 0; k <= last; k++) {
            String name = layers.get(k).name();
            Ops backward = tf.withSubScope(name + "_backward");
            List<ParameterSpec> own = spec.parameters().stream()
                    .filter(p -> p.trainable() && p.layer().equals(name)).toList();
            List<Operand<T>> penalties = ModelGraph.l2Penalties(backward, parameters, own);

            // What the backward pass starts from: y the heads, dy their initial gradients.
            List<Operand<?>> heads = new ArrayList<>();
            List<Operand<?>> seeds = new ArrayList<>();
            if (k < last) {
                Placeholder<T> dOutput = placeholder(tf, name + "_d_output", outputShapes.get(k), type);
                dOutputs.add(dOutput);
                heads.add(built.get(k).activation());
                seeds.add(dOutput);
            } else {
                heads.add(LossGraph.dataLoss(backward.withSubScope(spec.loss().jsonName()), spec.loss(), m.y(),
                        built.get(k)));
                seeds.add(pass.constant(backward, 1.0));
            }
            for (Operand<T> penalty : penalties) {
                heads.add(penalty);
                seeds.add(pass.constant(backward, 1.0));
            }

            List<Operand<?>> with = new ArrayList<>();
            with.add(inputs.get(k));
            own.forEach(p -> with.add(parameters.variable(p.name())));
            Gradients g = Gradients.create(backward.scope(), heads, with, Gradients.dx(seeds));
            dInputs.add(g.dy(0));
            List<Output<T>> dParams = new ArrayList<>();
            for (int i = 1; i < with.size(); i++) {
                dParams.add(g.dy(i));
            }
            gradients.add(List.copyOf(dParams));
            trainable.add(own);
        }
        List<Operand<T>> outputs = built.stream().map(LayerOutput::activation).toList();
        return new IsolatedGraph<>(List.copyOf(inputs), outputs, List.copyOf(dOutputs), List.copyOf(dInputs),
                List.copyOf(gradients), List.copyOf(trainable), pass.dropoutMasks());
    }

    private static <T extends TFloating> Placeholder<T> placeholder(Ops tf, String name, List<Integer> shape,
                                                                   Class<T> type) {
        // The batch dimension is left open, as for x.
        return tf.withName(name).placeholder(type, Placeholder.shape(Shape.of(TensorConverter.batchShape(-1, shape))));
    }
}
