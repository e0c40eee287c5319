package org.paritysuite.harness.isolation;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.paritysuite.harness.compare.TensorComparison;

/**
 * One layer's errors, split into what it was fed and what it adds. The side under test is
 * compared with the reference twice: in its own pass, where a layer's output carries every error
 * made before it, and run on the reference's input to that layer (and, backward, on the
 * reference's incoming gradient), where only the layer's own error remains.
 *
 * <pre>
 *   inherited forward    input_tf             vs  input_ref            (what the layer was fed)
 *   local forward        layer_tf(input_ref)  vs  layer_ref(input_ref)  = output_ref
 *   inherited backward   dOutput_tf           vs  dOutput_ref          (what the loss side fed back)
 *   local backward       dInput_tf, dW_tf at (input_ref, dOutput_ref)  vs  dInput_ref, dW_ref
 * </pre>
 *
 * Each comparison is under the tolerance of the same tensor in the whole model: the rounding bound
 * of the tensor's whole path bounds what its last layer alone adds.
 *
 * @param layer             the spec layer's name
 * @param inheritedForward  the layer's input on both sides; empty for the first layer, which both
 *                          sides read from the same batch
 * @param localForward      the side under test's layer on the reference's input, against the
 *                          reference's output
 * @param inheritedBackward the incoming gradient {@code d loss / d output} on both sides; empty for
 *                          the last layer, whose backward pass starts at the loss
 * @param localBackward     the side under test's {@code d loss / d input} from the reference's input
 *                          and incoming gradient, against the reference's
 * @param localGradients    likewise, the gradient of each trainable parameter of the layer
 */
public record LayerErrors(String layer, Optional<TensorComparison> inheritedForward, TensorComparison localForward,
                          Optional<TensorComparison> inheritedBackward, TensorComparison localBackward,
                          List<TensorComparison> localGradients) {

    public LayerErrors {
        localGradients = List.copyOf(localGradients);
    }

    /** Whether the layer's own forward computation leaves its tolerance. */
    public boolean localForwardFails() {
        return !localForward.passed();
    }

    /** Whether the layer's own backward computation (input gradient or a parameter's) leaves its tolerance. */
    public boolean localBackwardFails() {
        return Stream.concat(Stream.of(localBackward), localGradients.stream()).anyMatch(c -> !c.passed());
    }

    /** The worst local backward comparison: the input gradient's or a parameter gradient's, by error ratio. */
    public TensorComparison worstLocalBackward() {
        return Stream.concat(Stream.of(localBackward), localGradients.stream())
                .max((a, b) -> Double.compare(a.errorRatio(), b.errorRatio())).orElseThrow();
    }
}
