package org.paritysuite.reference;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.LossSpec;

/**
 * The spec's data loss at the model's output, and the gradient it hands to the last block: where
 * every backward pass of {@link ReferenceModel} starts.
 * <pre>
 *   categorical_crossentropy    L = SoftmaxCrossEntropy(logits, y)    dLogits = (p - y) / N, handed past the
 *                                                                     final softmax (Block#backwardFromLogits)
 *   mean_squared_error,         L = loss(probs, y)                    dP = d L / d probs, back through the
 *   kl_divergence                                                     whole last block (Block#backward)
 * </pre>
 * The logits are the input of the model's final softmax, fused into the last Dense or Conv2D layer
 * or an activation layer of its own. The loss compares in TensorFlow layout, the order of
 * {@code y}: {@code probs} and the logits cross over with the last layer's output layout, and the
 * gradient crosses back with it (a permutation, its own gradient rule; see {@link TensorLayout}).
 *
 * <p>Made for one pass: the loss caches what its backward pass needs. {@code y [N, K]} is never modified.
 */
final class OutputLoss {

    private final Loss loss;
    private final boolean fusedOnLogits;
    private final TensorLayout outputLayout;
    private final INDArray y;

    /**
     * @param lossSpec     the spec's loss
     * @param outputLayout the layout of the last layer's output ({@code FLAT [K]} unless nothing mixed a
     *                     flattened image)
     * @param y            the labels {@code [N, K]} in the model's data type
     */
    OutputLoss(LossSpec lossSpec, TensorLayout outputLayout, INDArray y) {
        this.loss = ReferenceModel.loss(lossSpec);
        this.fusedOnLogits = lossSpec == LossSpec.CATEGORICAL_CROSSENTROPY;
        this.outputLayout = outputLayout;
        this.y = y;
    }

    /**
     * The data loss {@code L} (rank 0), after {@code output}'s forward pass.
     *
     * @param output the last block
     * @param out    its output {@code [N, K]} in the reference layout
     */
    INDArray forward(Block output, INDArray out) {
        INDArray lossInput = outputLayout.toTensorFlow(fusedOnLogits ? output.logits() : out);
        return loss.forward(lossInput, y);
    }

    /** {@code dX = d L / d x} of the last block, after {@link #forward}. */
    INDArray backward(Block output) {
        INDArray dLossInput = outputLayout.toReference(loss.backward());
        return fusedOnLogits
                ? output.backwardFromLogits(dLossInput)               // (p - y) / N at the logits, past the softmax
                : output.backward(dLossInput);                        // dP through the whole output layer
    }
}
