package org.paritysuite.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * The one place where tensors cross between the canonical TensorFlow/Keras layout (weight files,
 * traces, batches) and the layout the reference layers compute in, for one {@link ModelSpec}.
 *
 * <p>Parameters (and their gradients, which have the parameter's shape):
 * <pre>
 *   dense kernel            TensorFlow [D, M]           =  reference W [D, M]              (out = x W + b in both)
 *   dense kernel after a    TensorFlow [H*W*C, M]       -> reference W [C*H*W, M]          rows permuted: TensorFlow row
 *     Flatten of an image                                                                  (h*W + w)*C + c is reference
 *                                                                                          row (c*H + h)*W + w
 *   conv kernel             TensorFlow [KH, KW, C, F]   -> reference W [F, C, KH, KW]      permute(3, 2, 0, 1);
 *                                                                                          back permute(2, 3, 1, 0)
 *   bias                    TensorFlow [M] or [F]       =  reference b
 *   batch normalization     TensorFlow [C] or [D]       =  reference [C] or [D]            (per channel or per feature;
 *     gamma, beta, moving                                                                  after a Flatten, per feature
 *     mean and variance                                                                    in flatten order: permuted
 *                                                                                          like kernel rows)
 * </pre>
 * Why the rows move: TensorFlow flattens an NHWC image with the channel fastest, feature
 * {@code (h*W + w)*C + c}; the reference flattens its NCHW image with the column fastest, feature
 * {@code (c*H + h)*W + w} (see {@link Flatten}). The first Dense layer after the Flatten sees the
 * same numbers in other positions, so its kernel's rows must move with them. The rule applies to
 * whatever lies between the Flatten and the first Dense (an activation, a dropout, a batch
 * normalization); {@link TensorLayout} tracks it layer by layer. With {@code C = 1} the two orders
 * coincide, so a port that forgets the permutation still passes on single-channel inputs: test with
 * {@code C > 1}.
 *
 * <p>Activations, dropout masks and the gradients of activations convert with the
 * {@link TensorLayout} of each layer's input and output ({@link #input()}, {@link #inputOf(String)},
 * {@link #outputOf(String)}).
 *
 * <p>{@link Mode#NAIVE_FLATTEN} copies the parameters after a Flatten <em>without</em> the
 * permutation: what a port that forgets the flatten order does. It exists so that the suite can
 * show that a parity check catches the bug (see {@link Mode}).
 *
 * <p>Both directions always return a fresh array in c order, never a view of the argument, and
 * {@code toTensorFlow(p, toReference(p, w, t))} returns {@code w} bit for bit whenever the values
 * of {@code w} are representable in {@code t}, in either mode (a permutation only moves values).
 */
public final class WeightLayout {

    /** How the parameters after a Flatten of an image are copied. */
    public enum Mode {
        /**
         * The correct copy (the default): the rows of the first Dense kernel after a Flatten, and any
         * per-feature vector between the two, are permuted from TensorFlow's flatten order to the
         * reference's.
         */
        PERMUTE_FLATTEN,
        /**
         * What a port that forgets the flatten order does: the kernel rows (and per-feature vectors)
         * are copied as they are, so the reference's Dense layer after the Flatten multiplies each
         * feature by the weight TensorFlow gives to another one. Only parameter copying changes:
         * batches, masks and traced activations are still converted correctly, so a parity run sees
         * the Flatten's output agree and the first Dense after it diverge (whenever {@code C > 1}).
         * Both directions still round-trip bit-exactly (the gradient goes back unpermuted too).
         */
        NAIVE_FLATTEN
    }

    /** What one parameter needs to cross. */
    private enum Conversion {
        /** The same layout on both sides. */
        COPY,
        /** {@code [KH, KW, C, F] <-> [F, C, KH, KW]}. */
        CONV_KERNEL,
        /** Axis 0 (kernel rows, or the vector itself) permuted by {@link Entry#features()}. */
        FEATURES
    }

    /**
     * @param parameter  the parameter
     * @param conversion how it crosses
     * @param features   for {@link Conversion#FEATURES}: the layout of the features along axis 0
     */
    private record Entry(ParameterSpec parameter, Conversion conversion, TensorLayout features) {
    }

    private final ModelSpec spec;
    private final Mode mode;
    private final TensorLayout input;
    private final Map<String, TensorLayout> inputs;
    private final Map<String, TensorLayout> outputs;
    private final Map<String, Entry> entries;

    private WeightLayout(ModelSpec spec, Mode mode, TensorLayout input, Map<String, TensorLayout> inputs,
                         Map<String, TensorLayout> outputs, Map<String, Entry> entries) {
        this.spec = spec;
        this.mode = mode;
        this.input = input;
        this.inputs = inputs;
        this.outputs = outputs;
        this.entries = entries;
    }

    /** The layouts of {@code spec}, with the correct flatten permutation ({@link Mode#PERMUTE_FLATTEN}). */
    public static WeightLayout of(ModelSpec spec) {
        return of(spec, Mode.PERMUTE_FLATTEN);
    }

    /**
     * The layouts of {@code spec}.
     *
     * @throws org.paritysuite.fixtures.FixtureException when the input is neither flat nor an image
     */
    public static WeightLayout of(ModelSpec spec, Mode mode) {
        if (spec == null || mode == null) {
            throw new IllegalArgumentException("WeightLayout.of: spec and mode must both be given");
        }
        TensorLayout input = TensorLayout.ofInput(spec.inputShape(), "model '" + spec.name() + "'");
        Map<String, TensorLayout> inputs = new LinkedHashMap<>();
        Map<String, TensorLayout> outputs = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<List<Integer>> inputShapes = spec.layerInputShapes();
        List<List<Integer>> outputShapes = spec.layerOutputShapes();
        TensorLayout layout = input;
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            List<Integer> out = outputShapes.get(i);
            inputs.put(layer.name(), layout);
            LayerLayout rule = layer.accept(new LayerRules(layout, out, mode));
            for (ParameterSpec p : layer.parameters(inputShapes.get(i))) {
                entries.put(p.name(), entry(p, rule.kernel(), layout, mode));
            }
            layout = rule.output();
            if (!layout.tensorFlowShape().equals(out)) {
                throw new IllegalStateException("WeightLayout: layer '" + layer.name() + "' of model '" + spec.name()
                        + "' produces " + out + " but its layout is " + layout);
            }
            outputs.put(layer.name(), layout);
        }
        return new WeightLayout(spec, mode, input, inputs, outputs, entries);
    }

    /**
     * What one layer does to layouts.
     *
     * @param output the layout of the layer's output
     * @param kernel how the layer's kernel crosses ({@link Conversion#COPY} for a layer without one)
     */
    private record LayerLayout(TensorLayout output, Conversion kernel) {
    }

    /**
     * Each layer type's rule, for a layer whose input has layout {@code in} and whose output has
     * the TensorFlow shape {@code out}: this side's dispatch over the layer types for layouts, so a
     * layer type added to the spec format does not compile until it has a rule here.
     */
    private record LayerRules(TensorLayout in, List<Integer> out, Mode mode)
            implements LayerSpec.Visitor<LayerLayout> {

        /** The features are mixed into a FLAT output; the kernel's rows follow the input's features. */
        @Override
        public LayerLayout visitDense(DenseSpec layer) {
            Conversion kernel = permutesFeatures(in, mode) ? Conversion.FEATURES : Conversion.COPY;
            return new LayerLayout(TensorLayout.flat(layer.units()), kernel);
        }

        @Override
        public LayerLayout visitConv2D(Conv2DSpec layer) {
            return new LayerLayout(image(), Conversion.CONV_KERNEL);
        }

        @Override
        public LayerLayout visitPool2D(Pool2DSpec layer) {
            return new LayerLayout(image(), Conversion.COPY);
        }

        /** One value per channel, in the same order on both sides: FLAT. */
        @Override
        public LayerLayout visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            return new LayerLayout(TensorLayout.flat(out.get(0)), Conversion.COPY);
        }

        /** IMAGE -> FLATTENED_IMAGE. */
        @Override
        public LayerLayout visitFlatten(FlattenSpec layer) {
            return new LayerLayout(in.flattened(), Conversion.COPY);
        }

        /** Element-wise: the layout stays. */
        @Override
        public LayerLayout visitActivation(ActivationLayerSpec layer) {
            return new LayerLayout(in, Conversion.COPY);
        }

        /** Element-wise: the layout stays. */
        @Override
        public LayerLayout visitDropout(DropoutSpec layer) {
            return new LayerLayout(in, Conversion.COPY);
        }

        /** Per channel or per feature: the layout stays. */
        @Override
        public LayerLayout visitBatchNorm(BatchNormSpec layer) {
            return new LayerLayout(in, Conversion.COPY);
        }

        private TensorLayout image() {
            return TensorLayout.image(out.get(0), out.get(1), out.get(2));
        }
    }

    /** Whether per-feature parameters of a layer whose input has layout {@code in} are permuted. */
    private static boolean permutesFeatures(TensorLayout in, Mode mode) {
        return in.kind() == TensorLayout.Kind.FLATTENED_IMAGE && mode == Mode.PERMUTE_FLATTEN;
    }

    /**
     * How parameter {@code p} crosses, of a layer whose kernel crosses by {@code kernel} and whose
     * input has layout {@code in}.
     */
    private static Entry entry(ParameterSpec p, Conversion kernel, TensorLayout in, Mode mode) {
        Conversion conversion = switch (p.role()) {
            case KERNEL -> kernel;
            case BIAS -> Conversion.COPY;
            // per channel of an image (no permutation) or per feature of a flat input (permuted after a Flatten)
            case GAMMA, BETA, MOVING_MEAN, MOVING_VARIANCE -> permutesFeatures(in, mode) ? Conversion.FEATURES
                    : Conversion.COPY;
        };
        return new Entry(p, conversion, conversion == Conversion.FEATURES ? in : null);
    }

    /** The spec these layouts belong to. */
    public ModelSpec spec() {
        return spec;
    }

    /** How parameters after a Flatten are copied. */
    public Mode mode() {
        return mode;
    }

    /** The layout of the model's input (the batch's {@code x}). */
    public TensorLayout input() {
        return input;
    }

    /** The layout of the input of layer {@code layer} (also that of its dropout mask). */
    public TensorLayout inputOf(String layer) {
        return find(inputs, layer);
    }

    /** The layout of the output of layer {@code layer} (also that of its traced activation). */
    public TensorLayout outputOf(String layer) {
        return find(outputs, layer);
    }

    /**
     * A parameter in TensorFlow layout, converted to the reference layout and data type.
     *
     * @param parameter which parameter of the spec (its role and place in the model decide the conversion)
     * @param tensorFlowValue the value in TensorFlow layout, shape {@code parameter.shape()}
     * @param dataType the data type the reference computes in
     * @return a new array of shape {@link #referenceShape(ParameterSpec)}
     */
    public INDArray toReference(ParameterSpec parameter, INDArray tensorFlowValue, DataType dataType) {
        Entry e = entry(parameter);
        requireShape(parameter, tensorFlowValue, parameter.shape().stream().mapToLong(Integer::longValue).toArray(),
                "TensorFlow layout");
        // castTo returns its argument itself when the type already matches: every branch copies.
        INDArray value = tensorFlowValue.castTo(dataType);
        return switch (e.conversion()) {
            case COPY -> value.dup('c');
            case CONV_KERNEL -> value.permute(3, 2, 0, 1).dup('c');           // [KH, KW, C, F] -> [F, C, KH, KW]
            case FEATURES -> e.features().featuresToReference(value, 0);     // rows (h, w, c) -> (c, h, w)
        };
    }

    /**
     * A parameter (or its gradient) in the reference layout, converted to TensorFlow layout.
     *
     * @param parameter which parameter of the spec
     * @param referenceValue the value in the reference layout, shape {@link #referenceShape(ParameterSpec)}
     * @return a new array of shape {@code parameter.shape()}, in the data type of {@code referenceValue}
     */
    public INDArray toTensorFlow(ParameterSpec parameter, INDArray referenceValue) {
        Entry e = entry(parameter);
        requireShape(parameter, referenceValue, referenceShape(parameter), "reference layout");
        return switch (e.conversion()) {
            case COPY -> referenceValue.dup('c');
            case CONV_KERNEL -> referenceValue.permute(2, 3, 1, 0).dup('c');  // [F, C, KH, KW] -> [KH, KW, C, F]
            case FEATURES -> e.features().featuresToTensorFlow(referenceValue, 0);   // rows (c, h, w) -> (h, w, c)
        };
    }

    /** The shape of {@code parameter} in the reference layout ({@code [F, C, KH, KW]} for a conv kernel). */
    public long[] referenceShape(ParameterSpec parameter) {
        Entry e = entry(parameter);
        long[] shape = parameter.shape().stream().mapToLong(Integer::longValue).toArray();
        return e.conversion() == Conversion.CONV_KERNEL ? new long[] {shape[3], shape[2], shape[0], shape[1]} : shape;
    }

    /**
     * Every parameter of the spec, converted to the reference layout and {@code dataType}, by name
     * in {@code spec.parameters()} order.
     *
     * @param weights the weights, already checked against the spec
     */
    public Map<String, INDArray> toReference(WeightSet weights, DataType dataType) {
        Map<String, INDArray> converted = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            converted.put(p.name(), toReference(p, weights.get(p.name()), dataType));
        }
        return converted;
    }

    /**
     * Every parameter of the spec, converted back to TensorFlow layout, by name in
     * {@code spec.parameters()} order, in the data type of the given arrays.
     *
     * @param reference the values in the reference layout, by parameter name
     */
    public Map<String, INDArray> toTensorFlow(Map<String, INDArray> reference) {
        Map<String, INDArray> converted = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            INDArray value = reference.get(p.name());
            if (value == null) {
                throw new IllegalArgumentException("WeightLayout.toTensorFlow: no value for parameter '" + p.name()
                        + "' of model '" + spec.name() + "'; have " + reference.keySet());
            }
            converted.put(p.name(), toTensorFlow(p, value));
        }
        return converted;
    }

    /** {@code conv2d/kernel: [KH, KW, C, F] -> [F, C, KH, KW]}-style lines, one per parameter, for reading. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Entry e : entries.values()) {
            String how = switch (e.conversion()) {
                case COPY -> "copied";
                case CONV_KERNEL -> "[KH, KW, C, F] -> [F, C, KH, KW]";
                case FEATURES -> "axis 0 permuted from NHWC to NCHW flatten order, " + e.features();
            };
            lines.add(e.parameter().name() + " " + e.parameter().shape() + ": " + how);
        }
        return lines;
    }

    private Entry entry(ParameterSpec parameter) {
        if (parameter == null) {
            throw new IllegalArgumentException("WeightLayout: the parameter must be given");
        }
        Entry e = entries.get(parameter.name());
        if (e == null || !e.parameter().equals(parameter)) {
            throw new IllegalArgumentException("parameter '" + parameter.name() + "' (" + parameter.role() + ", "
                    + parameter.shape() + ") is not a parameter of model '" + spec.name() + "'; it has "
                    + entries.keySet());
        }
        return e;
    }

    private TensorLayout find(Map<String, TensorLayout> layouts, String layer) {
        TensorLayout layout = layouts.get(layer);
        if (layout == null) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has no layer '" + layer + "'; it has "
                    + layouts.keySet());
        }
        return layout;
    }

    private static void requireShape(ParameterSpec parameter, INDArray value, long[] expected, String layout) {
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + parameter.name() + "' (" + layout + "): the value must be given");
        }
        if (!Arrays.equals(value.shape(), expected)) {
            throw new IllegalArgumentException("parameter '" + parameter.name() + "' (" + layout + "): expected shape "
                    + Arrays.toString(expected) + ", found " + Arrays.toString(value.shape()));
        }
    }

    @Override
    public String toString() {
        return "WeightLayout(" + spec.name() + ", " + mode + ")";
    }
}
