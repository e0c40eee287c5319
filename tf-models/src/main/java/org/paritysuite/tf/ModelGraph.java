package org.paritysuite.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
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
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * A model spec built into one TensorFlow graph, and the handles a run needs.
 *
 * <p>The graph holds up to two <em>passes</em> through the model, one per
 * {@link PassContext.Mode}, sharing the inputs and the variables. Only layers with an inference
 * mode ({@link ModelSpec#hasInferenceMode()}: dropout, batch normalization) behave differently in
 * training and inference, so a model without one has a single pass serving both modes. With one,
 * the inference pass is a second copy of the layers
 * under the name scope {@code inference/}: a session run fetches from one pass, and TensorFlow runs
 * only the ops that fetch needs, so neither mode pays for the other (no mask of ones to feed, no
 * {@code Select} computing both branches).
 *
 * <p>Graph layout (op names): {@code x [N, ...input_shape]} and {@code y [N, C]} placeholders;
 * per layer its variables, e.g. {@code <layer>/kernel} (each with its {@code .../read} identity,
 * {@code ..._value} placeholder and {@code ..._assign} op), then the layer's ops, e.g.
 * {@code <layer>/MatMul}, {@code <layer>/BiasAdd}, {@code <layer>/<Activation>}, and for a dropout
 * layer in training its keep-mask placeholder {@code <layer>/mask}; the loss under {@code loss/},
 * ending in {@code loss/total}; TensorFlow's symbolic gradients of {@code loss/total} with
 * respect to every trainable variable under {@code Gradients/}. The inference pass repeats the
 * layers, loss and gradients under {@code inference/}.
 *
 * <p>Added later, on first use and once per mode, for the layer-by-layer runs of
 * {@link TfLayerwise} (a TensorFlow graph can grow while its session is open; the session extends
 * to the new ops): the gradients of a pass's loss with respect to {@code x} and every hidden
 * activation under {@code layerwise/} ({@code layerwise_inference/}), see {@link LayerwiseGraph};
 * and an isolated copy of the layers under {@code isolated/} ({@code isolated_inference/}), on
 * the same variables, each layer reading its own {@code <layer>_input} placeholder, with its
 * backward pass under {@code <layer>_backward/}, see {@link IsolatedGraph}.
 *
 * <p>{@code LayerBuilder} is this side's one dispatch over the layer types (a
 * {@link LayerSpec.Visitor}) and {@link #buildLayers} its one loop over the layers, shared by the
 * passes and the isolated copies: a layer type added to the spec format does not compile until it
 * is built here.
 *
 * @param tf         the graph's ops, for attaching more (optimizers) later
 * @param x          the inputs placeholder {@code [N, ...input_shape]}
 * @param y          the labels placeholder {@code [N, C]}
 * @param training   the training pass
 * @param inference  the inference pass (the same object as {@code training} when the model has no
 *                   dropout and no batch normalization)
 * @param parameters the variables
 */
record ModelGraph<T extends TFloating>(Ops tf, Placeholder<T> x, Placeholder<T> y, Pass<T> training,
                                       Pass<T> inference, TfParameters<T> parameters) {

    /**
     * One pass through the model: what a session run feeds and fetches.
     *
     * @param hidden           the activation of every layer except the last, in layer order
     * @param probs            the last layer's activation {@code [N, C]}
     * @param loss             the scalar total loss: data loss plus L2 penalties
     * @param gradients        {@code d loss / d parameter} for every trainable parameter in parameter
     *                         order, each shaped like its parameter
     * @param dropoutMasks     the keep-mask placeholders to feed, by dropout layer name in layer
     *                         order (training only; empty otherwise)
     * @param movingStatistics the updated moving statistics, by parameter name in parameter order
     *                         (training only; empty otherwise); computed, never assigned
     */
    record Pass<T extends TFloating>(List<Operand<T>> hidden, Operand<T> probs, Operand<T> loss,
                                     List<Output<T>> gradients, Map<String, Placeholder<T>> dropoutMasks,
                                     Map<String, Operand<T>> movingStatistics) {
    }

    /** The pass for a batch: {@link #training()} for a training batch, {@link #inference()} otherwise. */
    Pass<T> pass(boolean trainingBatch) {
        return trainingBatch ? training : inference;
    }

    /** Builds {@code spec} into {@code graph} with tensors of {@code type}. */
    static <T extends TFloating> ModelGraph<T> build(Graph graph, ModelSpec spec, Class<T> type) {
        Ops tf = Ops.create(graph);
        // The batch dimension is left open (-1) so one graph serves every batch size.
        long[] xShape = LongStream.concat(LongStream.of(-1), spec.inputShape().stream().mapToLong(Integer::longValue))
                .toArray();
        Placeholder<T> x = tf.withName("x").placeholder(type, Placeholder.shape(Shape.of(xShape)));
        Placeholder<T> y = tf.withName("y").placeholder(type, Placeholder.shape(Shape.of(-1, spec.classes())));

        TfParameters<T> parameters = new TfParameters<>(type);
        Pass<T> training = buildPass(tf, spec, x, y, new PassContext<>(PassContext.Mode.TRAINING, parameters, true));
        if (!parameters.specs().equals(spec.parameters())) {
            throw new IllegalStateException("graph variables " + parameters.specs() + " do not follow the spec's parameters "
                    + spec.parameters());
        }
        Pass<T> inference = spec.hasInferenceMode()
                ? buildPass(tf.withSubScope("inference"), spec, x, y,
                        new PassContext<>(PassContext.Mode.INFERENCE, parameters, false))
                : training;
        return new ModelGraph<>(tf, x, y, training, inference, parameters);
    }

    private static <T extends TFloating> Pass<T> buildPass(Ops tf, ModelSpec spec, Placeholder<T> x, Placeholder<T> y,
                                                          PassContext<T> pass) {
        List<LayerOutput<T>> outputs = buildLayers(tf, spec, pass,
                (k, built) -> k == 0 ? x : built.get(k - 1).activation());

        LayerOutput<T> last = outputs.get(outputs.size() - 1);
        TfParameters<T> parameters = pass.parameters();
        Operand<T> loss = totalLoss(tf.withSubScope("loss"), spec, y, last, parameters);
        List<Variable<T>> trainable = parameters.trainableVariables();
        List<Output<T>> dParams = new ArrayList<>();
        if (!trainable.isEmpty()) {
            Gradients gradients = tf.gradients(loss, trainable);
            for (int i = 0; i < trainable.size(); i++) {
                dParams.add(gradients.dy(i));
            }
        }

        List<Operand<T>> hidden = outputs.subList(0, outputs.size() - 1).stream().map(LayerOutput::activation).toList();
        return new Pass<>(hidden, last.activation(), loss, List.copyOf(dParams), pass.dropoutMasks(),
                pass.movingStatistics());
    }

    /** Where each layer's input comes from while {@link #buildLayers} builds the layers in order. */
    @FunctionalInterface
    interface LayerInputs<T extends TFloating> {

        /**
         * Layer {@code k}'s input {@code [N, ...input shape of k]}.
         *
         * @param built the layers {@code 0 .. k-1}, already built
         */
        Operand<T> of(int k, List<LayerOutput<T>> built);
    }

    /**
     * Builds every layer of {@code spec} in layer order, each under its own name scope inside
     * {@code tf}'s, through {@link LayerBuilder}: the one loop over the layers, shared by the
     * chained passes (layer {@code k} reads layer {@code k-1}'s output) and the isolated ones
     * ({@link IsolatedGraph}: every layer reads a placeholder of its own).
     */
    static <T extends TFloating> List<LayerOutput<T>> buildLayers(Ops tf, ModelSpec spec, PassContext<T> pass,
                                                                 LayerInputs<T> inputs) {
        List<List<Integer>> inputShapes = spec.layerInputShapes();
        List<LayerOutput<T>> outputs = new ArrayList<>();
        for (int k = 0; k < spec.layers().size(); k++) {
            Operand<T> input = inputs.of(k, outputs);
            outputs.add(spec.layers().get(k).accept(new LayerBuilder<>(tf, inputShapes.get(k), input, pass)));
        }
        return List.copyOf(outputs);
    }

    /**
     * Builds one layer: each layer type's ops under the layer's name scope, from its input.
     *
     * @param tf         ops at the pass's top scope; each layer adds its own name scope
     * @param inputShape the layer's input shape without the batch dimension
     * @param input      the layer's input {@code [N, ...inputShape]}
     * @param pass       the pass being built: where the variables come from, what it collects
     */
    private record LayerBuilder<T extends TFloating>(Ops tf, List<Integer> inputShape, Operand<T> input,
                                                     PassContext<T> pass) implements LayerSpec.Visitor<LayerOutput<T>> {

        @Override
        public LayerOutput<T> visitDense(DenseSpec layer) {
            return DenseLayerGraph.build(tf, layer, inputShape, input, pass);
        }

        @Override
        public LayerOutput<T> visitConv2D(Conv2DSpec layer) {
            return Conv2DLayerGraph.build(tf, layer, inputShape, input, pass);
        }

        @Override
        public LayerOutput<T> visitPool2D(Pool2DSpec layer) {
            return Pool2DLayerGraph.build(tf, layer, input);
        }

        /**
         * Global average pooling: {@code out = mean(x, axes [1, 2])} (the {@code Mean} op),
         * {@code [N, H, W, C] -> [N, C]}; TensorFlow's gradient divides {@code dOut}, broadcast back
         * over {@code H} and {@code W}, by {@code H W}.
         */
        @Override
        public LayerOutput<T> visitGlobalAveragePooling2D(GlobalAveragePooling2DSpec layer) {
            Ops scope = tf.withSubScope(layer.name());
            Operand<T> out = scope.math.mean(input, scope.constant(new int[] {1, 2}));
            return new LayerOutput<>(out, out);
        }

        /**
         * Flatten: {@code reshape(x, [-1, D])} with {@code D} the product of the input shape.
         * TensorFlow tensors are row-major, so an NHWC image flattens in NHWC order: element
         * {@code (h, w, c)} of {@code [H, W, C]} goes to index {@code (h W + w) C + c}.
         */
        @Override
        public LayerOutput<T> visitFlatten(FlattenSpec layer) {
            Ops scope = tf.withSubScope(layer.name());
            int size = layer.outputShape(inputShape).get(0);
            Operand<T> out = scope.reshape(input, scope.constant(new int[] {-1, size}));
            return new LayerOutput<>(out, out);
        }

        /** The activation's input is the logits: a final softmax layer's cross-entropy starts there. */
        @Override
        public LayerOutput<T> visitActivation(ActivationLayerSpec layer) {
            Ops scope = tf.withSubScope(layer.name());
            return new LayerOutput<>(input, ActivationOps.apply(scope, layer.activation(), input));
        }

        @Override
        public LayerOutput<T> visitDropout(DropoutSpec layer) {
            return DropoutLayerGraph.build(tf, layer, inputShape, input, pass);
        }

        @Override
        public LayerOutput<T> visitBatchNorm(BatchNormSpec layer) {
            return BatchNormLayerGraph.build(tf, layer, inputShape, input, pass);
        }
    }

    /** Data loss plus {@code lambda * sum(W^2)} for every parameter with {@code l2 > 0}. */
    private static <T extends TFloating> Operand<T> totalLoss(Ops tf, ModelSpec spec, Operand<T> labels,
                                                             LayerOutput<T> last, TfParameters<T> parameters) {
        Operand<T> loss = LossGraph.dataLoss(tf.withSubScope(spec.loss().jsonName()), spec.loss(), labels, last);
        for (Operand<T> penalty : l2Penalties(tf, parameters, parameters.specs())) {
            loss = tf.math.add(loss, penalty);
        }
        return tf.withName("total").identity(loss);
    }

    /**
     * The L2 penalty {@code lambda * sum(W^2)} of each of {@code of} with {@code l2 > 0}, in the
     * order given, each under the scope {@code l2_<layer>} inside {@code tf}'s.
     */
    static <T extends TFloating> List<Operand<T>> l2Penalties(Ops tf, TfParameters<T> parameters,
                                                             List<ParameterSpec> of) {
        List<Operand<T>> penalties = new ArrayList<>();
        for (ParameterSpec p : of) {
            if (p.l2() > 0) {
                Ops l2 = tf.withSubScope("l2_" + p.layer());
                penalties.add(LossGraph.l2Penalty(l2, parameters.read(p.name()), p.l2(), parameters.type()));
            }
        }
        return penalties;
    }
}
