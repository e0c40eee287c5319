package org.paritysuite.harness.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.SumLengths;

/**
 * For every traced tensor of a model, {@code K}: the summed length of the dot products (and
 * reductions) on the path that computes it. Rounding error in floating point grows with the
 * number of terms summed, so {@code K} sets the scale of the float32 tolerance. Each layer states
 * the lengths of its own sums ({@link LayerSpec#sumLengths}: forward, backward, parameter
 * gradient); this class adds them up along the paths:
 *
 * <ul>
 *   <li>the activation of layer {@code l}: the forward terms of layers {@code 1..l} (dense: fan-in
 *       {@code D}; conv: {@code KH KW C}; average pool: {@code KH KW}; batch normalization:
 *       {@code 2m} for its mean and variance over {@code m} elements; max pool, flatten, dropout,
 *       element-wise activations: none);</li>
 *   <li>the output and the loss: all of the above plus the class count (softmax and loss sums);</li>
 *   <li>the gradient of a parameter of layer {@code l}: all of the above, plus the backward terms
 *       of the layers above {@code l} (what each of their {@code dX} elements sums: dense: fan-out
 *       {@code M}; conv: {@code KH KW F}; overlapping pools: windows per input; batch
 *       normalization: {@code 2m}), plus the reduction that forms the parameter gradient itself
 *       (dense: the batch {@code N}; conv: {@code N H' W'}; batch normalization: {@code m});</li>
 *   <li>a moving statistic after a training pass: the forward path up to its layer;</li>
 *   <li>the gradient with respect to a layer's input (not traced; per-layer isolation compares
 *       it): the output and loss sums, plus the backward terms of that layer and those above it.</li>
 * </ul>
 */
public final class DotProductLengths {

    private final Map<String, Long> lengths = new HashMap<>();
    /** {@code K} of {@code d loss / d input} of each layer, by layer name (per-layer isolation). */
    private final Map<String, Long> inputGradients = new HashMap<>();

    /** The lengths for {@code spec} at batch size {@code batch}. */
    public DotProductLengths(ModelSpec spec, int batch) {
        List<LayerSpec> layers = spec.layers();
        List<List<Integer>> inputs = spec.layerInputShapes();
        List<SumLengths> sums = new ArrayList<>();
        long running = 0;
        long[] forward = new long[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            sums.add(layers.get(i).sumLengths(inputs.get(i), batch));
            running += sums.get(i).forward();
            forward[i] = running;
            lengths.put(key(TensorKind.ACTIVATION, layers.get(i).name()), running);
        }
        long total = running + spec.classes();
        lengths.put(key(TensorKind.PROBS, "probs"), total);
        lengths.put(key(TensorKind.LOSS, "loss"), total);
        long backward = total;
        for (int i = layers.size() - 1; i >= 0; i--) {
            for (ParameterSpec p : layers.get(i).parameters(inputs.get(i))) {
                lengths.put(key(TensorKind.GRADIENT, p.name()), backward + sums.get(i).parameterGradient());
                lengths.put(key(TensorKind.WEIGHT, p.name()), forward[i]);
            }
            backward += sums.get(i).backward();
            inputGradients.put(layers.get(i).name(), backward);
        }
    }

    /**
     * {@code K} of the gradient of the loss with respect to {@code layer}'s input: the output and
     * loss sums, then the backward terms of this layer and every layer above it. A layer's incoming
     * gradient {@code d loss / d output} is the next layer's input gradient. Not traced; per-layer
     * isolation compares these.
     */
    public long inputGradient(String layer) {
        Long k = inputGradients.get(layer);
        if (k == null) {
            throw new IllegalArgumentException("no layer '" + layer + "' in this model");
        }
        return k;
    }

    /**
     * {@code K} for the tensor of this kind and name. A weight after an optimizer step, or one of
     * its optimizer slots ({@code PARAMETER/SLOT}), takes its gradient's {@code K}: the update
     * adds a handful of element-wise operations to it.
     */
    public long of(TensorKind kind, String name) {
        Long k = lengths.get(key(kind, name));
        if (k == null && kind == TensorKind.WEIGHT) {
            k = lengths.get(key(TensorKind.GRADIENT, name));
            if (k == null && name.contains("/")) {
                k = lengths.get(key(TensorKind.GRADIENT, name.substring(0, name.lastIndexOf('/'))));
            }
        }
        if (k == null) {
            throw new IllegalArgumentException("no tensor " + key(kind, name) + " in this model");
        }
        return k;
    }

    private static String key(TensorKind kind, String name) {
        return kind.jsonName() + "/" + name;
    }
}
