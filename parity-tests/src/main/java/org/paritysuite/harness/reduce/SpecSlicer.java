package org.paritysuite.harness.reduce;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * A smaller spec and its weights from a larger one: layers removed, a dense layer's units or a
 * convolution's filters cut, the weights sliced from the original's so that a fault that lives in
 * a layer's computation keeps showing.
 *
 * <p>The rules:
 * <ul>
 *   <li><b>Shapes.</b> A candidate layer list is repaired in one way only: a layer that does not take
 *       the image it is now fed but takes it flattened (a dense layer) gets a {@code flatten} in
 *       front of it (named {@code flatten}, or {@code flatten_r1}, ... when that name is taken).
 *       Anything else that no longer fits (a pooling window larger than its input, a convolution
 *       fed a flat vector, a last layer that does not produce {@code [classes]} or a softmax for a
 *       cross-entropy) makes the candidate invalid: {@link ModelSpec}'s own validation decides, and
 *       the candidate is never run.</li>
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
     * layer fed an image that it takes only flattened, described as
     * {@code reduced by parity reduce from NAME} (the name, seed, batch size and everything else
     * kept); empty when the result is not a valid spec.
     */
    public static Optional<ModelSpec> withLayers(ModelSpec spec, List<LayerSpec> layers) {
        Set<String> names = new HashSet<>(layers.stream().map(LayerSpec::name).toList());
        List<LayerSpec> repaired = new ArrayList<>();
        List<Integer> shape = spec.inputShape();
        try {
            for (LayerSpec layer : layers) {
                if (shape.size() > 1 && !fits(layer, shape) && fits(layer, List.of(size(shape)))) {
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
     * {@code spec} with layer {@code layer} cut to {@code size} ({@link Width}); empty when the layer
     * has no width, or the result is not a valid spec (the output layer's units are the classes).
     */
    public static Optional<ModelSpec> withWidth(ModelSpec spec, String layer, int size) {
        List<LayerSpec> layers = new ArrayList<>();
        boolean cut = false;
        for (LayerSpec l : spec.layers()) {
            Optional<Width> width = l.name().equals(layer) ? width(l) : Optional.empty();
            layers.add(width.map(w -> w.cut().apply(size)).orElse(l));
            cut |= width.isPresent();
        }
        return cut ? withLayers(spec, layers) : Optional.empty();
    }

    /**
     * What a reduction can narrow in a layer: a dense layer's units, a convolution's filters.
     *
     * @param size the units or filters
     * @param cut  the same layer with another size
     */
    public record Width(int size, IntFunction<LayerSpec> cut) {
    }

    /** The width of {@code layer}; empty for a layer without one. */
    public static Optional<Width> width(LayerSpec layer) {
        return layer.accept(WIDTH);
    }

    /** Each layer type says whether it has a width: a new type does not compile until it does. */
    private static final LayerSpec.Visitor<Optional<Width>> WIDTH = new LayerSpec.Visitor<>() {
        @Override
        public Optional<Width> visitDense(DenseSpec d) {
            return Optional.of(new Width(d.units(),
                    units -> new DenseSpec(d.name(), units, d.activation(), d.useBias(), d.kernelL2())));
        }

        @Override
        public Optional<Width> visitConv2D(Conv2DSpec c) {
            return Optional.of(new Width(c.filters(), filters ->
                    new Conv2DSpec(c.name(), filters, c.window(), c.activation(), c.useBias(), c.kernelL2())));
        }

        @Override
        public Optional<Width> visitPool2D(Pool2DSpec layer) {
            return Optional.empty();
        }

        @Override
        public Optional<Width> visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            return Optional.empty();
        }

        @Override
        public Optional<Width> visitFlatten(FlattenSpec layer) {
            return Optional.empty();
        }

        @Override
        public Optional<Width> visitActivation(ActivationLayerSpec layer) {
            return Optional.empty();
        }

        @Override
        public Optional<Width> visitDropout(DropoutSpec layer) {
            return Optional.empty();
        }

        @Override
        public Optional<Width> visitBatchNorm(BatchNormSpec layer) {
            // Its width is its input's channels, which follow the layer before it.
            return Optional.empty();
        }
    };

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

    private static boolean fits(LayerSpec layer, List<Integer> shape) {
        try {
            layer.outputShape(shape);
            return true;
        } catch (FixtureException refused) {
            return false;
        }
    }

    private static int size(List<Integer> shape) {
        return shape.stream().reduce(1, (a, b) -> a * b);
    }

    private static String freeName(Set<String> taken, String stem) {
        String name = stem;
        for (int i = 1; taken.contains(name); i++) {
            name = stem + "_r" + i;
        }
        return name;
    }
}
