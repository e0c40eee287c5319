package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.family.TFloating;

/**
 * The gradients of a whole pass's loss with respect to every layer's input, for seeing that pass
 * layer by layer ({@link TfLayerwise#layers}):
 * <pre>
 *   dInputs = tf.gradients(loss/total, [x, h_0, ..., h_(L-2)])
 *           = [d loss / d x  [N, ...input_shape],  d loss / d h_k  [N, ...output shape of k]]
 * </pre>
 * with {@code h_k} the activation of layer {@code k}: layer {@code k}'s input is {@code h_(k-1)}
 * ({@code x} for {@code k = 0}), so {@code dInputs.get(k)} is its {@code dInput} and
 * {@code dInputs.get(k + 1)} its {@code dOutput}. It is TensorFlow's own autodiff through the pass
 * as built, so these are the very tensors the pass's parameter gradients are computed from.
 *
 * <p>Added to the graph on first use (the session extends to it), under {@code layerwise/} for the
 * training pass and {@code layerwise_inference/} for a separate inference pass: a model that is
 * never looked at layer by layer carries none of it.
 *
 * @param dInputs {@code d loss / d input} of every layer, in layer order
 */
record LayerwiseGraph<T extends TFloating>(List<Output<T>> dInputs) {

    /**
     * Adds the input gradients of {@code pass}, whose first layer reads {@code x}.
     *
     * @param tf ops in the scope to build under, e.g. {@code layerwise/}
     */
    static <T extends TFloating> LayerwiseGraph<T> build(Ops tf, Operand<T> x, ModelGraph.Pass<T> pass) {
        List<Operand<T>> inputs = new ArrayList<>();
        inputs.add(x);
        inputs.addAll(pass.hidden());
        Gradients gradients = tf.gradients(pass.loss(), inputs);
        List<Output<T>> dInputs = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            dInputs.add(gradients.dy(k));
        }
        return new LayerwiseGraph<>(List.copyOf(dInputs));
    }
}
