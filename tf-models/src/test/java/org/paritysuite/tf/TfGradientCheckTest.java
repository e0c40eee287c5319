package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.GradientCheckResult;
import org.paritysuite.fixtures.gradcheck.ModelFunction;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.Window2D;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * TensorFlow's autodiff gradients (the trace's {@code gradient/...}) against Commons Math finite
 * differences of TensorFlow's own float64 loss, with the checker the reference uses
 * ({@code fixtures.gradcheck}): same stencil, same thresholds (relative 1e-7, absolute floor 1e-8),
 * same kink awareness (the signature is read from TensorFlow's trace). One {@link TfModel} per check;
 * every perturbed weight set is loaded into its graph and run once ({@code forwardBackward} never
 * changes the weights), so no graph is rebuilt.
 */
@Tag("gradcheck")
@DisplayName("TensorFlow gradients against finite differences of TensorFlow's own loss (float64, Commons Math)")
class TfGradientCheckTest {

    private static final int N = 4;

    /** The model's pass at any weights: loaded into its variables, then one forward and backward run. */
    private static Function<WeightSet, Trace> pass(TfModel model, Batch batch) {
        return w -> {
            model.modelGraph().parameters().load(model.session(), w);
            return model.forwardBackward(batch);
        };
    }

    /**
     * A tiny model with a training batch (dropout masks drawn for it).
     *
     * @param name shown as the test name
     */
    record Case(String name, ModelSpec spec) {

        WeightSet weights() {
            return TinyModels.withNonZeroBiases(GlorotUniform.initialise(spec, 3));
        }

        Batch batch() {
            return TinyModels.randomBatch(spec, N, 5).with(DropoutMasks.draw(spec, N, 6), true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("MLP: relu (L2 0.01), leaky_relu(0.2), softmax; cross-entropy", TinyModels.spec("gc-mlp", 5,
                        LossSpec.CATEGORICAL_CROSSENTROPY, new DenseSpec("hidden", 4, Activation.RELU, true, 0.01),
                        TinyModels.dense("hidden_1", 4, Activation.leakyRelu(0.2)),
                        TinyModels.dense("out", 3, Activation.SOFTMAX))),
                new Case("MLP: sigmoid, tanh, softmax; KL divergence", TinyModels.spec("gc-mlp-kl", 5, LossSpec.KL_DIVERGENCE,
                        TinyModels.dense("hidden", 4, Activation.SIGMOID), TinyModels.dense("hidden_1", 4, Activation.TANH),
                        TinyModels.dense("out", 3, Activation.SOFTMAX))),
                new Case("MLP: tanh, linear; mean squared error", TinyModels.spec("gc-mlp-mse", 5, LossSpec.MEAN_SQUARED_ERROR,
                        TinyModels.dense("hidden", 4, Activation.TANH), TinyModels.dense("out", 3, Activation.LINEAR))),
                new Case("CNN: conv SAME 3x3 relu, max pool 2x2/1, conv VALID 2x2/2 tanh, flatten, dropout, dense softmax",
                        TinyModels.spec("gc-cnn", List.of(5, 5, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                                TinyModels.conv("conv", 3, 3, 1, Padding.SAME, Activation.RELU),
                                TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 1, Padding.VALID),
                                TinyModels.conv("conv_1", 2, 2, 2, Padding.VALID, Activation.TANH),
                                new FlattenSpec("flatten"), new DropoutSpec("dropout", 0.25),
                                TinyModels.dense("out", 3, Activation.SOFTMAX))),
                // No conv bias: batch normalization in training takes any constant away, so its gradient is
                // exactly 0 and a check of it would compare nothing (as Keras models use use_bias=False there).
                new Case("CNN: conv VALID 2x2 linear, average pool SAME 3x3/2, flatten, batch norm (training), dense softmax",
                        TinyModels.spec("gc-cnn-bn", List.of(6, 5, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                                new Conv2DSpec("conv", 3, new Window2D(2, 2, 1, 1, Padding.VALID), Activation.LINEAR, false, 0),
                                TinyModels.pool("pool", Pool2DSpec.Kind.AVERAGE, 3, 2, Padding.SAME),
                                new FlattenSpec("flatten"), new BatchNormSpec("bn", 0.9, 1e-3),
                                TinyModels.dense("out", 3, Activation.SOFTMAX))),
                new Case("CNN: conv VALID 2x2 tanh, global average pooling, dense softmax",
                        TinyModels.spec("gc-cnn-gap", List.of(5, 4, 2), LossSpec.CATEGORICAL_CROSSENTROPY,
                                TinyModels.conv("conv", 4, 2, 1, Padding.VALID, Activation.TANH),
                                new GlobalAveragePooling2DSpec("gap"),
                                TinyModels.dense("out", 3, Activation.SOFTMAX))));
    }

    /** Every (model, trainable parameter) pair: one test per gradient. */
    static Stream<Arguments> gradients() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases()) {
            for (ParameterSpec p : c.spec().parameters()) {
                if (p.trainable()) {
                    args.add(Arguments.of(c, p.name()));
                }
            }
        }
        return args.stream();
    }

    private static void assertPasses(GradientCheckResult result) {
        assertThat(result.passed()).as(result::explain).isTrue();
    }

    @Nested
    @DisplayName("tiny models, element by element")
    class Elementwise {

        @ParameterizedTest(name = "{0}: gradient of {1}")
        @MethodSource("org.paritysuite.tf.TfGradientCheckTest#gradients")
        void gradient(Case c, String parameter) {
            Batch batch = c.batch();
            try (TfModel model = TfModel.build(c.spec(), c.weights(), Precision.FLOAT64)) {
                ModelFunction f = ModelFunction.ofParameter(c.spec(), c.weights(), batch, pass(model, batch), parameter);
                assertPasses(GradientCheck.named("TF " + c.spec().name() + " " + parameter).elementwise(f));
            }
        }

        @Test
        @DisplayName("a ReLU pre-activation placed on its kink: the bias element whose step crosses it is skipped, the rest pass")
        void kinkSkipped() {
            Case c = cases().get(0);
            Batch batch = c.batch();
            Map<String, INDArray> map = c.weights().asMap();
            double z = batch.x().getRow(0).mul(map.get("hidden/kernel").getColumn(0)).sumNumber().doubleValue();
            map.get("hidden/bias").putScalar(0, -z);                    // z[0, 0] = x[0] . W[:, 0] + b[0] = 0
            WeightSet onTheKink = WeightSet.of(map);
            try (TfModel model = TfModel.build(c.spec(), onTheKink, Precision.FLOAT64)) {
                GradientCheckResult r = GradientCheck.named("TF gc-mlp on the kink hidden/bias").elementwise(
                        ModelFunction.ofParameter(c.spec(), onTheKink, batch, pass(model, batch), "hidden/bias"));
                assertPasses(r);
                assertThat(r.skippedAtKinks()).as("elements skipped at kinks").isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("random projections v . J u over every trainable parameter")
    class Projections {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.tf.TfGradientCheckTest#cases")
        void tiny(Case c) {
            Batch batch = c.batch();
            try (TfModel model = TfModel.build(c.spec(), c.weights(), Precision.FLOAT64)) {
                ModelFunction f = ModelFunction.ofAllTrainable(c.spec(), c.weights(), batch, pass(model, batch));
                assertPasses(GradientCheck.named("TF " + c.spec().name() + " all parameters").projections(f, 8, 21));
            }
        }

        @Test
        @DisplayName("ist597-mlp (109k parameters), 2 Fashion-MNIST images: 8 projections")
        void zooMlp() {
            assertPasses(zoo("ist597-mlp", 8));
        }

        @Test
        @DisplayName("ds541-cnn-a (5.5M parameters), 2 Fashion-MNIST images: 2 projections")
        void zooCnn() {
            assertPasses(zoo("ds541-cnn-a", 2));
        }

        /**
         * A zoo model at its seeded Glorot weights with biases from U(-0.1, 0.1) instead of 0 (with zero
         * biases every background pixel puts a conv ReLU exactly on its kink), a training batch of 2
         * Fashion-MNIST test images with the model's dropout masks.
         */
        private GradientCheckResult zoo(String id, int projections) {
            ModelSpec spec = ModelZoo.load(id);
            Map<String, INDArray> map = GlorotUniform.initialise(spec, spec.training().seed()).asMap();
            SplittableRandom random = new SplittableRandom(spec.training().seed());
            map.replaceAll((name, value) -> name.endsWith("/bias") ? uniform(random, value.shape(), 0.1) : value);
            WeightSet weights = WeightSet.of(map);
            LabeledImages images = ShippedDatasets.load(Dataset.FASHION_MNIST, Split.TEST);
            Batch batch = Batch.fromRows(images.imagesScaled(0, 2), images.oneHot(0, 2, spec.classes()), spec.inputShape(),
                    "fashion-mnist test[0:2]").with(DropoutMasks.draw(spec, 2, spec.training().seed()), true);
            try (TfModel model = TfModel.build(spec, weights, Precision.FLOAT64)) {
                ModelFunction f = ModelFunction.ofAllTrainable(spec, weights, batch, pass(model, batch));
                return GradientCheck.named("TF " + id + " (" + f.size() + " parameters, N = 2)").projections(f, projections, 597);
            }
        }
    }

    /** Values uniform in {@code [-limit, limit)}, rounded to float32, as a float64 array of {@code shape}. */
    private static INDArray uniform(SplittableRandom random, long[] shape, double limit) {
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }
}
