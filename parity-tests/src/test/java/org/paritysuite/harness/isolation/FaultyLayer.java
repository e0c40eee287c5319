package org.paritysuite.harness.isolation;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A side with a fault inside one layer: the layer computes with one of its parameters scaled by a
 * factor, so its output is wrong and every layer after it is fed wrong values, as with a real
 * bug in that layer. (A corrupted trace, {@code CorruptedSide}, changes one traced tensor and
 * nothing downstream; this fault propagates.)
 */
final class FaultyLayer {

    private FaultyLayer() {
    }

    /** {@code inner}, building every model with {@code parameter} times {@code factor}. */
    static Side scaling(Side inner, String parameter, double factor) {
        return (spec, weights, precision) -> {
            Map<String, INDArray> changed = new LinkedHashMap<>(weights.asMap());
            changed.put(parameter, changed.get(parameter).mul(factor));
            return inner.build(spec, WeightSet.of(changed), precision);
        };
    }
}
