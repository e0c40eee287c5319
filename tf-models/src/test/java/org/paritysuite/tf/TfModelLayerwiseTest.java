package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.tf.TinyModels.flat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.ActivationLayerSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

@DisplayName("TfModel layer by layer: its own pass per layer, and every layer isolated on fed values")
class TfModelLayerwiseTest {

    /** Small, so the whole class runs in seconds; the per-layer views do not depend on N. */
    private static final int N = 8;

    /**
     * The isolated layers recompute the whole pass's ops on the same values (same kernels, one
     * thread), so they agree bit for bit, with one exception: batch normalization in training,
     * whose input gradient is the sum of three backward paths (through the batch mean, the batch
     * variance and {@code x * inv}). TensorFlow adds them in an {@code AddN} whose order follows
     * the order of the input's consumers in the graph, which differs between the chained pass and
     * the isolated copy: observed 1 ulp of the element (float64 and float32 alike). The bound is
     * 2 ulps of each tensor's largest magnitude.
     */
    private static final double ISOLATED_ULPS = 2;

    /** Zoo models covering every layer type, every loss, L2, dropout and batch norm in both modes. */
    static Stream<Arguments> zooCases() {
        return Stream.of(
                Arguments.of("fmnist17-2-1", "training"),   // dense + dropout MLP
                Arguments.of("fmnist17-2-1", "inference"),
                Arguments.of("ds541-cnn-a", "training"),    // conv, max pool, dropout, flatten
                Arguments.of(SOFTMAX_LAYER, "training"),    // ends in an Activation(softmax) layer
                Arguments.of("fmnist17-2-3", "training"),   // batch norm + dropout
                Arguments.of("fmnist17-2-3", "inference"),
                Arguments.of("ist597-mlp-l2", "training"),  // L2 penalties
                Arguments.of("ist597-mlp-mse", "training"), // mean squared error
                Arguments.of("fmnist17-1-2", "training"));  // KL divergence
    }

    /**
     * A small model ending like ds541-cnn-b (a convolution, a flatten, a linear dense layer, then
     * an Activation(softmax) layer, the only ending of its kind in the zoo) without its 10.8
     * million parameters, which made building it most of this class's time.
     */
    static final String SOFTMAX_LAYER = "tiny-softmax-layer";

    /** {@link #zooCases} in both precisions. */
    static Stream<Arguments> zooCasesInBothPrecisions() {
        return zooCases().flatMap(a -> Stream.of(Precision.values()).map(p -> Arguments.of(a.get()[0], p, a.get()[1])));
    }

    // ---- layers(b): TensorFlow's own pass, seen layer by layer ----------------------------------

    @ParameterizedTest(name = "{0} in {1}, {2}")
    @MethodSource("zooCasesInBothPrecisions")
    @DisplayName("layers(b) holds forwardBackward(b)'s activations, probs and gradients bit for bit")
    void layersAreForwardBackward(String id, Precision precision, String mode) {
        Zoo zoo = Zoo.of(id, precision, mode);
        Trace trace = zoo.model.forwardBackward(zoo.batch);
        List<LayerPass> layers = zoo.layers();

        ModelSpec spec = zoo.model.spec();
        assertThat(layers).extracting(LayerPass::layer)
                .containsExactlyElementsOf(spec.layers().stream().map(l -> l.name()).toList());
        for (int k = 0; k < layers.size() - 1; k++) {
            assertBitwise(layers.get(k).output(), trace.require(TensorKind.ACTIVATION, layers.get(k).layer()),
                    "output of " + layers.get(k).layer());
        }
        assertBitwise(layers.get(layers.size() - 1).output(), trace.require(TensorKind.PROBS, "probs"), "probs");
        int gradients = 0;
        for (LayerPass layer : layers) {
            for (Map.Entry<String, INDArray> g : layer.gradients().entrySet()) {
                assertBitwise(g.getValue(), trace.require(TensorKind.GRADIENT, g.getKey()), "gradient " + g.getKey());
                gradients++;
            }
        }
        assertThat(gradients).as("every trainable parameter once").isEqualTo(trace.ofKind(TensorKind.GRADIENT).size());
        assertBitwise(layers.get(0).input(), zoo.batch.x().castTo(layers.get(0).output().dataType()), "x");
    }

    @ParameterizedTest(name = "{0} in {1}, {2}")
    @MethodSource("zooCasesInBothPrecisions")
    @DisplayName("layers(b) chains: entry k's input and dInput are entry k-1's output and dOutput")
    void layersChain(String id, Precision precision, String mode) {
        Zoo zoo = Zoo.of(id, precision, mode);
        List<LayerPass> layers = zoo.layers();

        for (int k = 1; k < layers.size(); k++) {
            assertBitwise(layers.get(k).input(), layers.get(k - 1).output(), "input of layer " + k);
            assertBitwise(layers.get(k).dInput(), layers.get(k - 1).dOutput().orElseThrow(),
                    "dInput of layer " + k);
        }
        assertThat(layers.get(layers.size() - 1).dOutput()).as("the last layer starts at the loss").isEmpty();
        assertThat(layers).allSatisfy(l -> assertThat(l.dInput().shape()).isEqualTo(l.input().shape()));
    }

    // ---- isolated(b, feeds): every layer on its own ---------------------------------------------

    @ParameterizedTest(name = "{0} in float64, {1}")
    @MethodSource("zooCases")
    @DisplayName("isolated(b, layers(b)) reproduces layers(b) in float64 to " + ISOLATED_ULPS + " ulps of each tensor's scale")
    void isolatedReproducesLayers(String id, String mode) {
        Zoo zoo = Zoo.of(id, Precision.FLOAT64, mode);
        List<LayerPass> layers = zoo.layers();
        List<LayerPass> isolated = zoo.layerwise().isolated(zoo.batch, layers);

        assertThat(isolated).hasSameSizeAs(layers);
        for (int k = 0; k < layers.size(); k++) {
            LayerPass whole = layers.get(k);
            LayerPass alone = isolated.get(k);
            assertThat(alone.layer()).isEqualTo(whole.layer());
            assertBitwise(alone.input(), whole.input(), "fed input of " + whole.layer());
            assertThat(alone.dOutput().isPresent()).isEqualTo(whole.dOutput().isPresent());
            assertWithinUlps(alone.output(), whole.output(), "output of " + whole.layer());
            assertWithinUlps(alone.dInput(), whole.dInput(), "dInput of " + whole.layer());
            assertThat(alone.gradients().keySet()).containsExactlyElementsOf(whole.gradients().keySet());
            for (String p : whole.gradients().keySet()) {
                assertWithinUlps(alone.gradients().get(p), whole.gradients().get(p), "gradient of " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}: layer {2}")
    @MethodSource("perturbations")
    @DisplayName("a perturbed input changes only that layer's output: the layers are fed independently")
    void perturbedFeedStaysLocal(String id, String mode, int k) {
        Zoo zoo = Zoo.of(id, Precision.FLOAT64, mode);
        List<LayerPass> feeds = zoo.layers();
        List<LayerPass> before = zoo.layerwise().isolated(zoo.batch, feeds);
        List<LayerPass> perturbed = new ArrayList<>(feeds);
        LayerPass fed = feeds.get(k);
        perturbed.set(k, new LayerPass(fed.layer(), fed.input().mul(1 + 1e-3), fed.output(), fed.dOutput(),
                fed.dInput(), fed.gradients()));
        List<LayerPass> after = zoo.layerwise().isolated(zoo.batch, perturbed);

        for (int j = 0; j < feeds.size(); j++) {
            if (j == k) {
                assertThat(flat(after.get(j).output())).as("output of the perturbed layer")
                        .isNotEqualTo(flat(before.get(j).output()));
            } else {
                assertBitwise(after.get(j).output(), before.get(j).output(), "output of layer " + j);
                assertBitwise(after.get(j).dInput(), before.get(j).dInput(), "dInput of layer " + j);
            }
        }
    }

    static Stream<Arguments> perturbations() {
        return Stream.of(
                Arguments.of("fmnist17-2-3", "training", 4),   // a batch norm layer, in training
                Arguments.of("ds541-cnn-a", "training", 3),    // the second conv layer
                Arguments.of("ist597-mlp", "training", 2));    // the last layer
    }

    @Test
    @DisplayName("the layer-by-layer graphs extend the open session and leave the model as it was")
    void extendingTheGraphChangesNothing() {
        ModelSpec spec = ModelZoo.load("ist597-mlp-dropout");
        Batch batch = TinyModels.randomBatch(spec, N, 1).with(DropoutMasks.draw(spec, N, 2), true);
        try (TfModel model = TfModel.build(spec, GlorotUniform.initialise(spec, 7), Precision.FLOAT32)) {
            Trace before = model.forwardBackward(batch);
            Map<String, INDArray> weights = model.weights();

            LayerwiseRunner layerwise = model.layerwise().orElseThrow();
            layerwise.isolated(batch, layerwise.layers(batch));
            Trace after = model.forwardBackward(batch);

            assertThat(WeightSet.of(model.weights()).bitwiseEquals(WeightSet.of(weights))).isTrue();
            assertThat(after.tensors()).hasSameSizeAs(before.tensors());
            for (int i = 0; i < before.tensors().size(); i++) {
                assertBitwise(after.tensors().get(i).value(), before.tensors().get(i).value(),
                        before.tensors().get(i).key());
            }
            // The optimizer still attaches to the extended graph.
            assertThat(model.step(batch).loss()).isFinite();
        }
    }

    // ---- bad feeds ------------------------------------------------------------------------------

    @Nested
    @DisplayName("refuses what does not fit: feeds with one line naming the layer, bad batches, a closed model")
    class BadFeeds {

        private static final ModelSpec NET = TinyModels.net432(Activation.RELU, LossSpec.CATEGORICAL_CROSSENTROPY);

        static Stream<Arguments> badFeeds() {
            return Stream.of(
                    Arguments.of("an input of the wrong width",
                            (Mangle) f -> List.of(with(f.get(0), f.get(0).input().get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)), f.get(0).dOutput()), f.get(1)),
                            "isolated input of layer 'hidden' (layer 0) has shape [2, 3]; expected [2, 4]"),
                    Arguments.of("a dOutput of the wrong shape",
                            (Mangle) f -> List.of(with(f.get(0), f.get(0).input(),
                                    Optional.of(f.get(0).dOutput().orElseThrow().reshape(3, 2))), f.get(1)),
                            "isolated dOutput of layer 'hidden' (layer 0) has shape [3, 2]; expected [2, 3]"),
                    Arguments.of("an input of another batch size",
                            (Mangle) f -> List.of(f.get(0), with(f.get(1), f.get(1).input().getRows(0),
                                    Optional.empty())),
                            "isolated input of layer 'out' (layer 1) has shape [1, 3]; expected [2, 3]"),
                    Arguments.of("one feed too few",
                            (Mangle) f -> List.of(f.get(0)),
                            "isolated() needs one feed per layer, 2 in layer order [hidden, out]; got 1"),
                    Arguments.of("the feeds out of order",
                            (Mangle) f -> List.of(f.get(1), f.get(0)),
                            "isolated() feed 0 is for layer 'out'; expected layer 'hidden'"),
                    Arguments.of("no dOutput for a hidden layer",
                            (Mangle) f -> List.of(with(f.get(0), f.get(0).input(), Optional.empty()), f.get(1)),
                            "the isolated feed of layer 'hidden' (layer 0) has no dOutput; every layer but the last"
                                    + " needs one, shaped [N, 3]"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badFeeds")
        @DisplayName("as a FixtureException naming model, batch, layer and expected shape")
        void refused(String name, Mangle mangle, String message) {
            try (TfModel model = TfModel.build(NET, TinyModels.weights432(), Precision.FLOAT64)) {
                LayerwiseRunner layerwise = model.layerwise().orElseThrow();
                Batch batch = TinyModels.batch432();
                List<LayerPass> feeds = mangle.apply(layerwise.layers(batch));

                assertThatThrownBy(() -> layerwise.isolated(batch, feeds))
                        .isInstanceOf(FixtureException.class)
                        .hasMessageContaining("model 'net-4-3-2', batch '" + batch.description() + "'")
                        .hasMessageContaining(message)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                // Refused before anything ran: the runner still works.
                assertThat(layerwise.isolated(batch, layerwise.layers(batch))).hasSize(2);
            }
        }

        @Test
        @DisplayName("layers(b) refuses a batch that does not fit, as forwardBackward does")
        void badBatch() {
            try (TfModel model = TfModel.build(NET, TinyModels.weights432(), Precision.FLOAT64)) {
                Batch batch = Batch.fromRows(new double[2][5], TinyModels.Y, List.of(5), "too wide");

                assertThatThrownBy(() -> model.layerwise().orElseThrow().layers(batch))
                        .isInstanceOf(FixtureException.class)
                        .hasMessageContaining("inputs have shape [2, 5] but model 'net-4-3-2' expects [N, 4]");
            }
        }

        @Test
        @DisplayName("both refuse to run on a closed model")
        void closed() {
            TfModel model = TfModel.build(NET, TinyModels.weights432(), Precision.FLOAT64);
            LayerwiseRunner layerwise = model.layerwise().orElseThrow();
            List<LayerPass> feeds = layerwise.layers(TinyModels.batch432());
            model.close();

            assertThatThrownBy(() -> layerwise.layers(TinyModels.batch432()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> layerwise.isolated(TinyModels.batch432(), feeds))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }

        private static LayerPass with(LayerPass p, INDArray input, Optional<INDArray> dOutput) {
            return new LayerPass(p.layer(), input, p.output(), dOutput, p.dInput(), p.gradients());
        }
    }

    /** Turns good feeds into bad ones. */
    @FunctionalInterface
    interface Mangle {
        List<LayerPass> apply(List<LayerPass> feeds);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * A zoo model with its Glorot weights and a random batch of {@link #N} in one mode. Each model
     * is built once per precision for the whole class and closed after it: layerwise runs change
     * no weight, and building the CNNs is most of the cost.
     */
    private record Zoo(TfModel model, Batch batch) {

        private static final Map<String, WeightSet> WEIGHTS = new HashMap<>();
        private static final Map<String, TfModel> MODELS = new HashMap<>();
        private static final Map<String, List<LayerPass>> LAYERS = new HashMap<>();

        static synchronized Zoo of(String id, Precision precision, String mode) {
            ModelSpec spec = id.equals(SOFTMAX_LAYER) ? TinyModels.spec(SOFTMAX_LAYER, List.of(8, 8, 1),
                    LossSpec.CATEGORICAL_CROSSENTROPY,
                    TinyModels.conv("conv2d", 4, 3, 1, Padding.VALID, Activation.RELU), new FlattenSpec("flatten"),
                    TinyModels.dense("dense", 10, Activation.LINEAR),
                    new ActivationLayerSpec("activation", Activation.SOFTMAX)) : ModelZoo.load(id);
            TfModel model = MODELS.computeIfAbsent(id + " in " + precision,
                    k -> TfModel.build(spec, WEIGHTS.computeIfAbsent(id,
                            i -> GlorotUniform.initialise(spec, spec.training().seed())), precision));
            Batch batch = TinyModels.randomBatch(spec, N, 1).with(DropoutMasks.draw(spec, N, 2), mode.equals("training"));
            return new Zoo(model, batch);
        }

        LayerwiseRunner layerwise() {
            return model.layerwise().orElseThrow();
        }

        /** {@code layers(batch)}, run once per model, precision and mode. */
        List<LayerPass> layers() {
            synchronized (Zoo.class) {
                return LAYERS.computeIfAbsent(model.spec().name() + " in " + model.precision() + ", " + batch.training(),
                        k -> layerwise().layers(batch));
            }
        }
    }

    @AfterAll
    static void closeModels() {
        Zoo.MODELS.values().forEach(TfModel::close);
        Zoo.MODELS.clear();
        Zoo.WEIGHTS.clear();
        Zoo.LAYERS.clear();
    }

    private static void assertBitwise(INDArray actual, INDArray expected, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        assertThat(actual.dataType()).as(what + " type").isEqualTo(expected.dataType());
        assertThat(flat(actual)).as(what).isEqualTo(flat(expected));
    }

    /** Each element within {@link #ISOLATED_ULPS} ulps of the largest magnitude of {@code expected}. */
    private static void assertWithinUlps(INDArray actual, INDArray expected, String what) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double[] a = flat(actual);
        double[] e = flat(expected);
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double bound = ISOLATED_ULPS * Math.ulp(scale);
        // One assertion on the worst element: the CNNs' kernels have millions.
        int worst = 0;
        for (int i = 1; i < a.length; i++) {
            if (Math.abs(a[i] - e[i]) > Math.abs(a[worst] - e[worst])) {
                worst = i;
            }
        }
        int at = worst;
        assertThat(Math.abs(a[at] - e[at])).as(() -> what + " at flat index " + at + ": " + a[at] + " vs " + e[at])
                .isLessThanOrEqualTo(bound);
    }
}
