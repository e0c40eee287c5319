package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.LayerwiseRunner;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;

@DisplayName("ReferenceModel.layerwise(): the model's pass layer by layer, and every layer on fed values")
class ReferenceLayerwiseRunnerTest {

    private static final int N = 8;
    private static final long BATCH_SEED = 23;

    /** Zoo models built once for the whole class (ds541-cnn-b has 48M parameters), float32. */
    private static final Map<String, ReferenceModel> MODELS = new HashMap<>();

    @AfterAll
    static void closeModels() {
        MODELS.values().forEach(ReferenceModel::close);
    }

    /**
     * A zoo model in one mode.
     *
     * @param id       the zoo id
     * @param training a training batch (dropout masks, batch statistics) or an inference one
     * @param why      what the model brings
     */
    record Case(String id, boolean training, String why) {

        ReferenceModel model() {
            return MODELS.computeIfAbsent(id, i -> {
                ModelSpec spec = ModelZoo.load(i);
                return ReferenceModel.build(spec, GlorotUniform.initialise(spec, spec.training().seed()), Precision.FLOAT32);
            });
        }

        Batch batch() {
            return TinyCnnModels.batch(model().spec(), N, BATCH_SEED, training);
        }

        LayerwiseRunner runner() {
            return model().layerwise().orElseThrow();
        }

        @Override
        public String toString() {
            return id + " (" + why + ", " + (training ? "training" : "inference") + ")";
        }
    }

    static Stream<Case> zoo() {
        return Stream.of(
                new Case("fmnist17-2-1", true, "19 layers: 10 dense, 9 dropout"),
                new Case("ds541-cnn-a", true, "conv, max pooling, dropout on images, flatten then dense"),
                new Case("ds541-cnn-b", true, "flatten then dense, ends in an Activation(softmax) layer"),
                new Case("fmnist17-2-3", true, "batch normalization on batch statistics, dropout"),
                new Case("fmnist17-2-3", false, "batch normalization on moving statistics"),
                new Case("ist597-mlp-l2", true, "L2 penalties"),
                new Case("ist597-mlp-mse", true, "mean_squared_error"),
                new Case("fmnist17-1-2", true, "kl_divergence"));
    }

    /**
     * Shape, type and every bit of the values, compared as raw bytes off-heap: ds541-cnn-b's dense
     * kernel has 47.8M entries, whose float64 copies ({@link WeightLayoutTest#sameBits}) would fill
     * the test heap twice over.
     */
    private static boolean sameBits(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) && a.dataType() == b.dataType()
                && a.dup('c').data().asNio().equals(b.dup('c').data().asNio());
    }

    private static void assertSameBits(INDArray actual, INDArray expected, String what) {
        assertThat(sameBits(actual, expected)).as("%s: bit for bit", what).isTrue();
    }

    /** Every field of every entry, bit for bit. */
    private static void assertSameBits(List<LayerPass> actual, List<LayerPass> expected) {
        assertThat(actual).extracting(LayerPass::layer).containsExactlyElementsOf(
                expected.stream().map(LayerPass::layer).toList());
        for (int k = 0; k < expected.size(); k++) {
            LayerPass a = actual.get(k);
            LayerPass e = expected.get(k);
            String layer = e.layer();
            assertSameBits(a.input(), e.input(), layer + " input");
            assertSameBits(a.output(), e.output(), layer + " output");
            assertThat(a.dOutput().isPresent()).as("%s has a dOutput", layer).isEqualTo(e.dOutput().isPresent());
            e.dOutput().ifPresent(d -> assertSameBits(a.dOutput().orElseThrow(), d, layer + " dOutput"));
            assertSameBits(a.dInput(), e.dInput(), layer + " dInput");
            assertThat(a.gradients().keySet()).as("%s gradients", layer).containsExactlyElementsOf(e.gradients().keySet());
            e.gradients().forEach((p, g) -> assertSameBits(a.gradients().get(p), g, "gradient of " + p));
        }
    }

    /** A copy of {@code feed} with another input and incoming gradient. */
    private static LayerPass fed(LayerPass feed, INDArray input, Optional<INDArray> dOutput) {
        return new LayerPass(feed.layer(), input, feed.output(), dOutput, feed.dInput(), feed.gradients());
    }

    /** {@code feeds} with entry {@code k} replaced. */
    private static List<LayerPass> replace(List<LayerPass> feeds, int k, LayerPass entry) {
        List<LayerPass> copy = new ArrayList<>(feeds);
        copy.set(k, entry);
        return copy;
    }

    @Nested
    @DisplayName("layers(batch): forwardBackward's own pass, layer by layer")
    class Layers {

        @ParameterizedTest(name = "{0}: outputs, probs and gradients bit for bit as the trace")
        @MethodSource("org.paritysuite.reference.ReferenceLayerwiseRunnerTest#zoo")
        void agreesWithForwardBackward(Case c) {
            Batch batch = c.batch();
            Trace trace = c.model().forwardBackward(batch);
            List<LayerPass> layers = c.runner().layers(batch);
            ModelSpec spec = c.model().spec();

            assertThat(layers).extracting(LayerPass::layer)
                    .containsExactlyElementsOf(spec.layers().stream().map(LayerSpec::name).toList());
            int last = layers.size() - 1;
            for (LayerPass layer : layers.subList(0, last)) {
                assertSameBits(layer.output(), trace.find("activation/" + layer.layer()).orElseThrow().value(),
                        layer.layer() + " output against activation/" + layer.layer());
            }
            assertSameBits(layers.get(last).output(), trace.find("probs/probs").orElseThrow().value(),
                    "the last layer's output against probs/probs");

            Map<String, INDArray> gradients = new LinkedHashMap<>();
            layers.forEach(layer -> gradients.putAll(layer.gradients()));
            assertThat(gradients.keySet()).as("every trainable parameter once, in spec order").containsExactlyElementsOf(
                    spec.parameters().stream().filter(ParameterSpec::trainable).map(ParameterSpec::name).toList());
            gradients.forEach((p, g) -> assertSameBits(g, trace.find("gradient/" + p).orElseThrow().value(),
                    "gradient of " + p + " against gradient/" + p));
        }

        @ParameterizedTest(name = "{0}: input_k = output_k-1, dInput_k = dOutput_k-1, from x to the loss")
        @MethodSource("org.paritysuite.reference.ReferenceLayerwiseRunnerTest#zoo")
        void chained(Case c) {
            Batch batch = c.batch();
            List<LayerPass> layers = c.runner().layers(batch);
            int last = layers.size() - 1;

            assertSameBits(layers.get(0).input(), batch.x().castTo(Precision.FLOAT32.dataType()), "the first input against x");
            for (int k = 1; k <= last; k++) {
                LayerPass before = layers.get(k - 1);
                LayerPass layer = layers.get(k);
                assertSameBits(layer.input(), before.output(), layer.layer() + " input against " + before.layer() + " output");
                assertSameBits(layer.dInput(), before.dOutput().orElseThrow(),
                        layer.layer() + " dInput against " + before.layer() + " dOutput");
            }
            assertThat(layers.get(last).dOutput()).as("the last layer's dOutput (it starts at the loss)").isEmpty();
            for (LayerPass layer : layers) {
                assertThat(layer.dInput().shape()).as("%s dInput shape", layer.layer()).isEqualTo(layer.input().shape());
                layer.dOutput().ifPresent(d -> assertThat(d.shape()).as("%s dOutput shape", layer.layer())
                        .isEqualTo(layer.output().shape()));
            }
        }

        /**
         * TensorFlow's Flatten of an NHWC image is a plain reshape, so in TensorFlow layout a
         * Flatten's output and dOutput are its input and dInput reshaped: this holds only if the
         * NCHW flatten order of the reference is permuted back for values and gradients alike.
         */
        @ParameterizedTest(name = "{0}: the flatten's output and dOutput are its NHWC input and dInput reshaped")
        @MethodSource("org.paritysuite.reference.ReferenceLayerwiseRunnerTest#flattening")
        void flattenIsAReshapeInTensorFlowLayout(Case c) {
            List<LayerPass> layers = c.runner().layers(c.batch());
            LayerPass flatten = layers.stream().filter(l -> l.layer().equals("flatten")).findFirst().orElseThrow();
            assertThat(flatten.input().rank()).as("the flatten's input is an image").isEqualTo(4);
            assertThat(flatten.input().size(3)).as("channels").isGreaterThan(1);  // with C = 1 the two orders coincide
            assertSameBits(flatten.output(), flatten.input().reshape('c', N, -1), "flatten output");
            assertSameBits(flatten.dOutput().orElseThrow(), flatten.dInput().reshape('c', N, -1), "flatten dOutput");
        }
    }

    static Stream<Case> flattening() {
        return zoo().filter(c -> c.id().equals("ds541-cnn-a"));
    }

    @Nested
    @DisplayName("isolated(batch, feeds): every layer on its own")
    class Isolated {

        @ParameterizedTest(name = "{0}: fed layers(batch), it repeats layers(batch) bit for bit")
        @MethodSource("org.paritysuite.reference.ReferenceLayerwiseRunnerTest#zoo")
        void reproducesLayers(Case c) {
            Batch batch = c.batch();
            List<LayerPass> layers = c.runner().layers(batch);
            assertSameBits(c.runner().isolated(batch, layers), layers);
        }

        static Stream<Case> perturbed() {
            return zoo().filter(c -> c.id().equals("ds541-cnn-a") || c.id().equals("fmnist17-2-3") && c.training());
        }

        @ParameterizedTest(name = "{0}: a perturbed input changes that layer's output and gradients, nothing else")
        @MethodSource("perturbed")
        void perturbedInput(Case c) {
            Batch batch = c.batch();
            List<LayerPass> layers = c.runner().layers(batch);
            int k = middleWeightedLayer(layers);
            LayerPass feed = layers.get(k);
            INDArray noise = new TestArrays(3).uniform(-0.1, 0.1, feed.input().shape()).castTo(feed.input().dataType());
            List<LayerPass> isolated = c.runner().isolated(batch,
                    replace(layers, k, fed(feed, feed.input().add(noise), feed.dOutput())));

            assertThat(sameBits(isolated.get(k).output(), feed.output())).as("%s output moved", feed.layer()).isFalse();
            assertThat(sameBits(kernelGradient(isolated.get(k)), kernelGradient(feed)))
                    .as("%s kernel gradient moved", feed.layer()).isFalse();
            assertSameBits(withoutLayer(isolated, k), withoutLayer(layers, k));
        }

        @ParameterizedTest(name = "{0}: a perturbed dOutput changes that layer's dInput and gradients, nothing else")
        @MethodSource("perturbed")
        void perturbedDOutput(Case c) {
            Batch batch = c.batch();
            List<LayerPass> layers = c.runner().layers(batch);
            int k = middleWeightedLayer(layers);
            LayerPass feed = layers.get(k);
            INDArray dOut = feed.dOutput().orElseThrow();
            INDArray moved = dOut.add(new TestArrays(4).uniform(-0.01, 0.01, dOut.shape()).castTo(dOut.dataType()));
            List<LayerPass> isolated = c.runner().isolated(batch, replace(layers, k, fed(feed, feed.input(), Optional.of(moved))));

            LayerPass layer = isolated.get(k);
            assertSameBits(layer.output(), feed.output(), feed.layer() + " output");
            assertThat(sameBits(layer.dInput(), feed.dInput())).as("%s dInput moved", feed.layer()).isFalse();
            assertThat(sameBits(kernelGradient(layer), kernelGradient(feed)))
                    .as("%s kernel gradient moved", feed.layer()).isFalse();
            assertSameBits(withoutLayer(isolated, k), withoutLayer(layers, k));
        }
    }

    @Nested
    @DisplayName("isolated: a layer's dInput against its own forward pass, by finite differences (float64)")
    class FiniteDifferences {

        /** conv2d sigmoid, average pooling, flatten of [3, 2, 2], dense tanh, dense softmax: smooth, no kinks. */
        private final ModelSpec spec = TinyCnnModels.convAvgPool();
        private final Batch batch = TinyCnnModels.batch(spec, 2, BATCH_SEED, true);

        @Test
        @DisplayName("conv2d on an NHWC image: dInput along 16 random projections")
        void convolution() {
            try (ReferenceModel model = ReferenceModel.build(spec, TinyCnnModels.weights(spec, 11), Precision.FLOAT64)) {
                GradientCheckAssert.assertThat(GradientCheck.named("isolated conv2d dInput")
                        .projections(isolatedLayer(model, "conv2d"), 16, 41)).passes();
            }
        }

        @Test
        @DisplayName("dense on the flattened image (NHWC flatten order): every element of dInput")
        void denseAfterFlatten() {
            try (ReferenceModel model = ReferenceModel.build(spec, TinyCnnModels.weights(spec, 11), Precision.FLOAT64)) {
                INDArray dOut = new TestArrays(7).uniform(-1, 1, batch.size(), 4);
                GradientCheckAssert.assertThat(GradientCheck.named("isolated dense dInput")
                        .elementwise(isolatedLayer(model, "dense"), dOut)).passes();
            }
        }

        /**
         * The layer on its own, fed the model's own values everywhere else: forward, its output at a
         * fed input {@code x}; vjp, its dInput at the base input for a fed {@code dOut}.
         */
        private ArrayFunction isolatedLayer(ReferenceModel model, String layer) {
            LayerwiseRunner runner = model.layerwise().orElseThrow();
            List<LayerPass> feeds = runner.layers(batch);
            int k = feeds.stream().map(LayerPass::layer).toList().indexOf(layer);
            LayerPass feed = feeds.get(k);
            return ArrayFunction.of(feed.input(),
                    x -> runner.isolated(batch, replace(feeds, k, fed(feed, x, feed.dOutput()))).get(k).output(),
                    dOut -> runner.isolated(batch, replace(feeds, k, fed(feed, feed.input(), Optional.of(dOut))))
                            .get(k).dInput());
        }
    }

    @Nested
    @DisplayName("isolated: feeds that do not fit are refused, naming the layer and the expected shape")
    class BadFeeds {

        /** conv2d [5, 5, 2] -> [5, 5, 3], max_pooling2d -> [4, 4, 3], re_lu, conv2d_1 -> [3, 3, 2], flatten [18], dense [3]. */
        private final ModelSpec spec = TinyCnnModels.convMaxPool();
        private final Batch batch = TinyCnnModels.batch(spec, N, BATCH_SEED, true);

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.ReferenceLayerwiseRunnerTest#badFeeds")
        void refused(String name, UnaryOperator<List<LayerPass>> spoil, List<String> mentions) {
            try (ReferenceModel model = ReferenceModel.build(spec, TinyCnnModels.weights(spec, 11), Precision.FLOAT32)) {
                LayerwiseRunner runner = model.layerwise().orElseThrow();
                List<LayerPass> feeds = spoil.apply(runner.layers(batch));
                assertThatThrownBy(() -> runner.isolated(batch, feeds))
                        .isInstanceOf(FixtureException.class)
                        .hasMessageNotContaining("\n")
                        .message().contains(mentions);
            }
        }
    }

    static Stream<Arguments> badFeeds() {
        return Stream.of(
                bad("one feed short", f -> f.subList(0, 5), "found 5", "layer 'dense'", "[8, 18]"),
                bad("one feed too many", f -> Stream.concat(f.stream(), Stream.of(f.get(5))).toList(),
                        "found 7", "feed 6, for layer 'dense', is past the last layer 'dense'", "[8, 18]"),
                bad("an image input in NCHW", f -> replace(f, 3, fed(f.get(3), f.get(3).input().permute(0, 3, 1, 2),
                        f.get(3).dOutput())), "layer 'conv2d_1'", "[8, 3, 4, 4]", "expected [8, 4, 4, 3]"),
                bad("an unflattened input to a dense layer", f -> replace(f, 5, fed(f.get(5),
                        f.get(4).input(), f.get(5).dOutput())), "layer 'dense'", "expected [8, 18]"),
                bad("a missing dOutput", f -> replace(f, 0, fed(f.get(0), f.get(0).input(), Optional.empty())),
                        "layer 'conv2d'", "dOutput none", "expected [8, 5, 5, 3]"),
                bad("a dOutput of the wrong shape", f -> replace(f, 4, fed(f.get(4), f.get(4).input(),
                        f.get(3).dOutput())), "layer 'flatten'", "expected [8, 18]"),
                bad("a dOutput on the last layer", f -> replace(f, 5, fed(f.get(5), f.get(5).input(),
                        f.get(4).dOutput())), "last layer 'dense'", "expected none"),
                bad("feeds out of order", f -> replace(replace(f, 1, f.get(2)), 2, f.get(1)),
                        "feed 1 is for layer 're_lu'", "expected layer 'max_pooling2d'", "[8, 5, 5, 3]"));
    }

    private static Arguments bad(String name, UnaryOperator<List<LayerPass>> spoil, String... mentions) {
        return Arguments.of(name, spoil, List.of(mentions));
    }

    /** The first layer with parameters (a dense or conv layer) from the middle of the model on. */
    private static int middleWeightedLayer(List<LayerPass> layers) {
        int k = layers.size() / 2;
        while (layers.get(k).gradients().isEmpty()) {
            k++;
        }
        return k;
    }

    /** The gradient of the layer's kernel, its first parameter. */
    private static INDArray kernelGradient(LayerPass layer) {
        return layer.gradients().values().iterator().next();
    }

    private static List<LayerPass> withoutLayer(List<LayerPass> layers, int k) {
        List<LayerPass> rest = new ArrayList<>(layers);
        rest.remove(k);
        return rest;
    }
}
