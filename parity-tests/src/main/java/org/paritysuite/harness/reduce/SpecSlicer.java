package org.paritysuite.harness.reduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A smaller spec and its weights from a larger one: layers removed, a dense layer's units or a
 * convolution's filters cut, the weights sliced from the original's so that a fault that lives in
 * a layer's computation keeps showing.
 *
 * <p>The rules:
 * <ul>
 *   <li><b>Shapes.</b> A candidate layer list is repaired in one way only: a dense layer that is now
 *       fed an image gets a {@code flatten} in front of it (named {@code flatten}, or
 *       {@code flatten_r1}, ... when that name is taken). Anything else that no longer fits (a
 *       pooling window larger than its input, a convolution fed a flat vector, a last layer that
 *       does not produce {@code [classes]} or a softmax for a cross-entropy) makes the candidate
 *       invalid: {@link ModelSpec}'s own validation decides, and the candidate is never run.</li>
 *   <li><b>Weights.</b> Every parameter of the smaller spec keeps the leading block of the
 *       original parameter of the same name: a dense kernel {@code [D, M]} its first rows and
 *       columns, a convolution kernel {@code [KH, KW, C, F]} its first input channels and filters, a
 *       bias or a batch normalization vector its first entries. Where the smaller spec needs more
 *       than the original has (the output layer's kernel after a flatten of a larger image than
 *       before), the rest comes from the seeded Glorot-uniform initialiser of the smaller spec
 *       (the spec's own seed), so the result is the same on every run.</li>
 * </ul>
 * The smaller model computes another function than the original; what it keeps is the layer that
 * is wrong and the weights that layer was wrong with. After a cut that changes a flatten's length,
 * the next dense layer keeps its leading rows, not the rows of the kept channels.
 */
public final class SpecSlicer {

    private SpecSlicer() {
    }

    /**
     * {@code spec} with {@code layers} in place of its own, a {@code flatten} put in front of each
     * dense layer fed an image, described as {@code reduced by parity reduce from NAME} (the name,
     * seed, batch size and everything else kept); empty when the result is not a valid spec.
     */
    public static Optional<ModelSpec> withLayers(ModelSpec spec, List<LayerSpec> layers) {
        Set<String> names = layers.stream().map(LayerSpec::name).collect(Collectors.toSet());
        List<LayerSpec> repaired = new ArrayList<>();
        List<Integer> shape = spec.inputShape();
        try {
            for (LayerSpec layer : layers) {
                if (layer instanceof DenseSpec && shape.size() > 1) {
                    FlattenSpec flatten = new FlattenSpec(freeName(names, "flatten"));
                    names.add(flatten.name());
                    repaired.add(flatten);
                    shape = flatten.outputShape(shape);
                }
                repaired.add(layer);
                shape = layer.outputShape(shape);
            }
            return Optional.of(new ModelSpec(spec.name(), "reduced by parity reduce from " + spec.name(),
                    spec.inputShape(), spec.classes(),
                    repaired, spec.loss(), spec.data(), spec.training()));
        } catch (FixtureException invalid) {
            return Optional.empty();
        }
    }

    /**
     * {@code spec} with the dense layer {@code layer} cut to {@code width} units, or the convolution
     * to {@code width} filters; empty when the layer is neither, or the result is not a valid spec
     * (the output layer's units are the classes).
     */
    public static Optional<ModelSpec> withWidth(ModelSpec spec, String layer, int width) {
        List<LayerSpec> layers = new ArrayList<>();
        boolean cut = false;
        for (LayerSpec l : spec.layers()) {
            if (l.name().equals(layer) && l instanceof DenseSpec d) {
                layers.add(new DenseSpec(d.name(), width, d.activation(), d.useBias(), d.kernelL2()));
                cut = true;
            } else if (l.name().equals(layer) && l instanceof Conv2DSpec c) {
                layers.add(new Conv2DSpec(c.name(), width, c.window(), c.activation(), c.useBias(), c.kernelL2()));
                cut = true;
            } else {
                layers.add(l);
            }
        }
        return cut ? withLayers(spec, layers) : Optional.empty();
    }

    /**
     * The units of a dense layer or the filters of a convolution, the width {@link #withWidth} cuts;
     * empty for every other layer.
     */
    public static Optional<Integer> width(LayerSpec layer) {
        if (layer instanceof DenseSpec d) {
            return Optional.of(d.units());
        }
        if (layer instanceof Conv2DSpec c) {
            return Optional.of(c.filters());
        }
        return Optional.empty();
    }

    /**
     * The weights of {@code smaller}: each parameter the leading block of {@code original}'s
     * parameter of the same name, the rest (or a parameter the original lacks) from the seeded
     * Glorot-uniform initialiser of {@code smaller}.
     */
    public static WeightSet weightsFor(ModelSpec smaller, WeightSet original) {
        Map<String, INDArray> fresh = GlorotUniform.initialise(smaller, smaller.training().seed()).asMap();
        Map<String, INDArray> sliced = new LinkedHashMap<>();
        fresh.forEach((name, value) -> {
            if (original.names().contains(name)) {
                INDArray from = original.get(name);
                if (from.rank() == value.rank()) {
                    INDArrayIndex[] block = new INDArrayIndex[value.rank()];
                    for (int axis = 0; axis < block.length; axis++) {
                        block[axis] = NDArrayIndex.interval(0, Math.min(from.size(axis), value.size(axis)));
                    }
                    value.get(block).assign(from.get(block));
                }
            }
            sliced.put(name, value);
        });
        return WeightSet.of(sliced);
    }

    private static String freeName(Set<String> taken, String stem) {
        String name = stem;
        for (int i = 1; taken.contains(name); i++) {
            name = stem + "_r" + i;
        }
        return name;
    }
}
