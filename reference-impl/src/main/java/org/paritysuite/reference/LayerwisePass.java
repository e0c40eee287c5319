package org.paritysuite.reference;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward and backward pass through a model's blocks, kept block by block: what each block
 * took in and gave out, forward and backward, in the reference layout. The whole model's pass
 * ({@link ReferenceModel#forwardBackward}, {@link ReferenceLayerwiseRunner#layers}) and the
 * isolated runs of every block ({@link ReferenceLayerwiseRunner#isolated}) are this one walk; they
 * differ only in where each block's input and incoming gradient come from ({@link Sources}):
 * <pre>
 *   forward    x_k    = the batch's x for k = 0, else out_{k-1}   (Chained)   or fed (Fed)
 *              out_k  = block_k(x_k)                                          k = 0 .. last
 *   loss       L      = loss(out_last or the logits, y) + sum of the blocks' L2 penalties   (OutputLoss)
 *   backward   dX_last = d L / d x_last, through the last block or past its final softmax
 *              dOut_k = dX_{k+1}                                   (Chained)   or fed (Fed)
 *              dX_k   = block_k.backward(dOut_k)                              k = last-1 .. 0
 * </pre>
 * Every forward runs before any backward, in layer order, and every backward in reverse order,
 * whatever the sources: a pass fed with a chained pass's own values repeats its arithmetic
 * operation for operation, so bit for bit. The L2 penalties are part of the walk in either case:
 * a penalty's backward pass ({@code 2 lambda W}, which joins its kernel's gradient) follows its
 * forward pass.
 */
final class LayerwisePass {

    /** Where each block's input and incoming gradient come from. */
    sealed interface Sources {

        /** {@code x_k}, given {@code out_{k-1}} ({@code null} for {@code k = 0}). */
        INDArray input(int k, INDArray previousOut);

        /** {@code dOut_k} for {@code k < last}, given {@code dX_{k+1}}. */
        INDArray dOut(int k, INDArray nextDX);
    }

    /**
     * The whole model: block {@code k} takes block {@code k-1}'s output, and hands its {@code dX}
     * down as block {@code k-1}'s {@code dOut}.
     *
     * @param x the batch's input in the reference layout
     */
    record Chained(INDArray x) implements Sources {

        @Override
        public INDArray input(int k, INDArray previousOut) {
            return k == 0 ? x : previousOut;
        }

        @Override
        public INDArray dOut(int k, INDArray nextDX) {
            return nextDX;
        }
    }

    /**
     * Every block on its own: block {@code k} forward from {@code inputs.get(k)} and backward from
     * {@code dOuts.get(k)}, whatever its neighbours computed.
     *
     * @param inputs one input per block, reference layout
     * @param dOuts  one incoming gradient per block but the last (whose backward pass starts at the
     *               loss), reference layout
     */
    record Fed(List<INDArray> inputs, List<INDArray> dOuts) implements Sources {

        @Override
        public INDArray input(int k, INDArray previousOut) {
            return inputs.get(k);
        }

        @Override
        public INDArray dOut(int k, INDArray nextDX) {
            return dOuts.get(k);
        }
    }

    /**
     * What one block saw, reference layout.
     *
     * @param block the block, after its backward pass (its parameter gradients are ready)
     * @param x     its input
     * @param out   its output
     * @param dOut  {@code d L / d out}; {@code null} for the last block, whose backward pass starts at the loss
     * @param dX    {@code d L / d x}
     */
    record Step(Block block, INDArray x, INDArray out, INDArray dOut, INDArray dX) {
    }

    private final List<Step> steps;
    private final INDArray loss;

    private LayerwisePass(List<Step> steps, INDArray loss) {
        this.steps = steps;
        this.loss = loss;
    }

    /**
     * Runs fresh {@code blocks} forward and backward.
     *
     * @param blocks   one per spec layer, made for this pass
     * @param sources  where each block's input and incoming gradient come from
     * @param dataLoss the spec's data loss at the last block's output
     */
    static LayerwisePass run(List<Block> blocks, Sources sources, OutputLoss dataLoss) {
        int last = blocks.size() - 1;
        INDArray[] x = new INDArray[last + 1];
        INDArray[] out = new INDArray[last + 1];
        INDArray[] dOut = new INDArray[last + 1];
        INDArray[] dX = new INDArray[last + 1];

        // ---- forward, first block to last ----
        for (int k = 0; k <= last; k++) {
            x[k] = sources.input(k, k == 0 ? null : out[k - 1]);
            out[k] = blocks.get(k).forward(x[k]);
        }

        // ---- the loss: data loss + sum of the L2 penalties; the data loss's gradient through the last block ----
        Block output = blocks.get(last);
        INDArray loss = dataLoss.forward(output, out[last]);
        for (Block block : blocks) {
            INDArray penalty = block.penalty();
            if (penalty != null) {
                loss = loss.add(penalty);
            }
        }
        dX[last] = dataLoss.backward(output);

        // ---- backward, last block but one to first ----
        for (int k = last - 1; k >= 0; k--) {
            dOut[k] = sources.dOut(k, dX[k + 1]);
            dX[k] = blocks.get(k).backward(dOut[k]);
        }

        List<Step> steps = new ArrayList<>();
        for (int k = 0; k <= last; k++) {
            steps.add(new Step(blocks.get(k), x[k], out[k], dOut[k], dX[k]));
        }
        return new LayerwisePass(List.copyOf(steps), loss);
    }

    /** One step per block, in layer order. */
    List<Step> steps() {
        return steps;
    }

    /** The blocks, in layer order, after the backward pass. */
    List<Block> blocks() {
        return steps.stream().map(Step::block).toList();
    }

    /** The last block's output, the model's output {@code [N, K]}, reference layout. */
    INDArray output() {
        return steps.get(steps.size() - 1).out();
    }

    /** The training loss {@code L} (rank 0): the data loss plus every L2 penalty. */
    INDArray loss() {
        return loss;
    }
}
