package org.paritysuite.reference.optim;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.UpdateRule;

/**
 * One hand-written optimizer update rule: the reference side of tensorflow-framework's
 * {@code org.tensorflow.framework.optimizers.Optimizer}.
 *
 * <p>{@code step} applies one update to every weight, out of place: each entry of {@code weights}
 * is replaced by a new array, the old array is left as it was. Weights and gradients are in the
 * canonical TensorFlow layout (the layout does not matter to an element-wise rule, but slots are
 * reported in it) and all of one data type, the optimizer's; the arithmetic is done in that type.
 *
 * <p>Slots are named like tensorflow-framework's: {@code <weight name>/<slot name>}, e.g.
 * {@code dense/kernel/m}, {@code dense/kernel/v}, {@code dense/kernel/momentum},
 * {@code dense/kernel/rms}, {@code dense/kernel/mg}, {@code dense/kernel/accumulator}.
 */
public interface Optimizer extends UpdateRule {

    /**
     * One update of every weight.
     *
     * @param weights   weight name to weight, e.g. {@code dense/kernel -> [D, M]}; a mutable map,
     *                  whose entries are replaced by the updated weights (new arrays in the caller's
     *                  scratch scope, if one is open)
     * @param gradients weight name to {@code dL/dw}, the same names, shapes and data type
     */
    @Override
    void step(Map<String, INDArray> weights, Map<String, INDArray> gradients);

    /**
     * The optimizer's per-weight state after the last step, by tensorflow-framework's slot names
     * (read-only view): its own arrays, updated in place by the next step; copy what must outlive it.
     */
    @Override
    Map<String, INDArray> slots();

    /** The number of steps taken so far (TensorFlow's {@code iterations}; step {@code t} is {@code iterations() + 1}). */
    int iterations();

    /** The data type of the weights, gradients, slots and arithmetic. */
    DataType dataType();
}
