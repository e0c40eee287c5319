package org.paritysuite.harness.walk;

import java.util.List;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.harness.isolation.LayerErrors;

/**
 * One layer of a {@link Walkthrough}: what it is, what it computes, and what both sides computed.
 *
 * @param index       the layer's position, from 1
 * @param layer       the spec layer
 * @param inputShape  its input shape without the batch dimension
 * @param outputShape its output shape without the batch dimension
 * @param parameters  its parameters (trainable or not) with their shapes
 * @param formulas    the reference's formulas of its steps, forward and backward
 * @param tensorflow  TensorFlow's own pass through the layer
 * @param reference   the reference's own pass through the layer
 * @param errors      its inherited and local errors
 */
public record WalkStep(int index, LayerSpec layer, List<Integer> inputShape, List<Integer> outputShape,
                       List<ParameterSpec> parameters, List<Formula> formulas, LayerPass tensorflow,
                       LayerPass reference, LayerErrors errors) {

    public WalkStep {
        parameters = List.copyOf(parameters);
        formulas = List.copyOf(formulas);
    }

    /** The number of parameter values, trainable or not. */
    public long parameterCount() {
        return parameters.stream().mapToLong(ParameterSpec::size).sum();
    }
}
