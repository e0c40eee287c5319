package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.paritysuite.reference.WeightLayoutTest.sameBits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.ModelFunction;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

@DisplayName("ReferenceModel with convolution, pooling, flatten, dropout and batch normalization")
class ReferenceModelCnnTest {

    private static final long WEIGHT_SEED = 11;
    private static final long BATCH_SEED = 5;

    private static Trace run(ModelSpec spec, WeightSet weights, Batch batch, Precision precision, WeightLayout.Mode mode) {
        try (ReferenceModel model = ReferenceModel.build(spec, weights, precision, mode)) {
            return model.forwardBackward(batch);
        }
    }

    private static Trace run(ModelSpec spec, WeightSet weights, Batch batch, Precision precision) {
        return run(spec, weights, batch, precision, WeightLayout.Mode.PERMUTE_FLATTEN);
    }

    /** The tiny model at its seeded weights on its seeded batch. */
    private static Trace run(ModelSpec spec, boolean training, Precision precision) {
        return run(spec, TinyCnnModels.weights(spec, WEIGHT_SEED),
                TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, training), precision);
    }

    private static INDArray value(Trace trace, String key) {
        return trace.find(key).orElseThrow(() -> new AssertionError("trace has no " + key)).value();
    }

    /** The largest |a - b| relative to the largest |b|. */
    private static double relativeDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue()
                / Math.max(b.amaxNumber().doubleValue(), Double.MIN_NORMAL);
    }

    /** The trace keys the contract asks for, built from the spec as the TensorFlow side builds them. */
    private static List<String> expectedKeys(ModelSpec spec, boolean training) {
        List<String> keys = new ArrayList<>();
        for (LayerSpec layer : spec.layers().subList(0, spec.layers().size() - 1)) {
            keys.add("activation/" + layer.name());
        }
        keys.add("probs/probs");
        keys.add("loss/loss");
        spec.parameters().stream().filter(ParameterSpec::trainable).forEach(p -> keys.add("gradient/" + p.name()));
        if (training) {
            spec.parameters().stream().filter(p -> !p.trainable()).forEach(p -> keys.add("weight/" + p.name()));
        }
        return keys;
    }

    @Nested
    @DisplayName("trace: keys, order and shapes (TensorFlow layout)")
    class TraceContract {

        @Test
        @DisplayName("ds541-cnn-a, batch 2: NHWC activations of every layer but the last, probs, loss, gradients; no weights")
        void ds541CnnA() {
            ModelSpec spec = ModelZoo.load("ds541-cnn-a");
            Trace trace = run(spec, GlorotUniform.initialise(spec, spec.training().seed()),
                    TinyCnnModels.batch(spec, 2, BATCH_SEED, true), Precision.FLOAT32);
            assertThat(trace.tensors().stream().map(NamedTensor::key).toList()).as("trace keys in order").containsExactly(
                    "activation/conv2d", "activation/max_pooling2d", "activation/dropout",
                    "activation/conv2d_1", "activation/max_pooling2d_1", "activation/dropout_1",
                    "activation/flatten", "activation/dense", "activation/dropout_2",
                    "probs/probs", "loss/loss",
                    "gradient/conv2d/kernel", "gradient/conv2d/bias", "gradient/conv2d_1/kernel", "gradient/conv2d_1/bias",
                    "gradient/dense/kernel", "gradient/dense/bias", "gradient/dense_1/kernel", "gradient/dense_1/bias");
            Map<String, long[]> shapes = new LinkedHashMap<>();
            shapes.put("activation/conv2d", new long[] {2, 28, 28, 64});
            shapes.put("activation/max_pooling2d", new long[] {2, 27, 27, 64});
            shapes.put("activation/dropout", new long[] {2, 27, 27, 64});
            shapes.put("activation/conv2d_1", new long[] {2, 27, 27, 32});
            shapes.put("activation/max_pooling2d_1", new long[] {2, 26, 26, 32});
            shapes.put("activation/dropout_1", new long[] {2, 26, 26, 32});
            shapes.put("activation/flatten", new long[] {2, 26 * 26 * 32});
            shapes.put("activation/dense", new long[] {2, 256});
            shapes.put("activation/dropout_2", new long[] {2, 256});
            shapes.put("probs/probs", new long[] {2, 10});
            shapes.put("loss/loss", new long[0]);
            shapes.put("gradient/conv2d/kernel", new long[] {2, 2, 1, 64});
            shapes.put("gradient/conv2d_1/kernel", new long[] {2, 2, 64, 32});
            shapes.put("gradient/dense/kernel", new long[] {26 * 26 * 32, 256});
            shapes.forEach((key, shape) -> assertThat(value(trace, key).shape()).as(key).containsExactly(shape));
        }

        @Test
        @DisplayName("fmnist17-2-3, training batch of 4: gradients for gamma and beta only, then every moving mean and variance")
        void fmnist17BatchNormTraining() {
            ModelSpec spec = ModelZoo.load("fmnist17-2-3");
            Trace trace = run(spec, GlorotUniform.initialise(spec, spec.training().seed()),
                    TinyCnnModels.batch(spec, 4, BATCH_SEED, true), Precision.FLOAT32);
            List<String> keys = trace.tensors().stream().map(NamedTensor::key).toList();
            assertThat(keys).as("trace keys in order").isEqualTo(expectedKeys(spec, true));
            assertThat(keys).as("spot checks")
                    .contains("gradient/batch_normalization/gamma", "gradient/batch_normalization_7/beta",
                            "weight/batch_normalization/moving_mean", "weight/batch_normalization_7/moving_variance")
                    .doesNotContain("gradient/batch_normalization/moving_mean");
            assertThat(keys.get(keys.size() - 1)).isEqualTo("weight/batch_normalization_7/moving_variance");
            assertThat(trace.ofKind(TensorKind.WEIGHT)).as("one moving mean and one moving variance per BN layer").hasSize(16);
            assertThat(value(trace, "activation/batch_normalization").shape()).containsExactly(4, 512);
            assertThat(value(trace, "weight/batch_normalization_3/moving_mean").shape()).containsExactly(128);
        }

        @Test
        @DisplayName("fmnist17-2-3, inference batch (no masks needed): the same activations and gradients, no weight tensors")
        void fmnist17BatchNormInference() {
            ModelSpec spec = ModelZoo.load("fmnist17-2-3");
            Trace trace = run(spec, GlorotUniform.initialise(spec, spec.training().seed()),
                    TinyCnnModels.batch(spec, 4, BATCH_SEED, false), Precision.FLOAT32);
            assertThat(trace.tensors().stream().map(NamedTensor::key).toList()).isEqualTo(expectedKeys(spec, false));
            assertThat(trace.ofKind(TensorKind.WEIGHT)).as("weight tensors of an inference pass").isEmpty();
        }

        @Test
        @DisplayName("a final Activation(softmax) layer (how ds541-cnn-b ends): the logits are traced, probs = softmax(logits), loss from them")
        void finalSoftmaxLayer() {
            ModelSpec spec = TinyCnnModels.batchNormImage(LossSpec.CATEGORICAL_CROSSENTROPY, false);
            Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            Trace trace = run(spec, TinyCnnModels.weights(spec, WEIGHT_SEED), batch, Precision.FLOAT64);
            INDArray logits = value(trace, "activation/dense");              // the linear Dense before the softmax layer
            INDArray probs = value(trace, "probs/probs");
            INDArray expected = Transforms.exp(logits.subColumnVector(logits.max(true, 1)), true);
            expected = expected.divColumnVector(expected.sum(true, 1));
            assertThat(relativeDifference(probs, expected)).as("probs against softmax(traced logits)").isLessThan(1e-15);
            double crossEntropy = -Transforms.log(probs, true).mul(batch.y()).sumNumber().doubleValue() / TinyCnnModels.BATCH;
            assertThat(trace.loss()).as("loss against -mean log p").isCloseTo(crossEntropy, within(1e-14));
        }
    }

    @Nested
    @DisplayName("what crosses is in TensorFlow layout")
    class Layout {

        private final ModelSpec spec = TinyCnnModels.convMaxPool();
        private final WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);
        private final Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
        private final Trace trace = run(spec, weights, batch, Precision.FLOAT64);

        @Test
        @DisplayName("conv2d's activation is TensorFlow's convolution of the NHWC batch with the [KH, KW, C, F] kernel, NHWC")
        void convolutionInTensorFlowLayout() {
            // conv2d: 3x3, stride 1, same on 5x5 (one pixel of padding all round), linear, C = 2, F = 3
            INDArray x = batch.x();                                          // [N, 5, 5, 2]
            INDArray k = weights.get("conv2d/kernel");                       // [3, 3, 2, 3]
            INDArray b = weights.get("conv2d/bias");
            INDArray expected = Nd4j.zeros(DataType.DOUBLE, TinyCnnModels.BATCH, 5, 5, 3);
            for (int n = 0; n < TinyCnnModels.BATCH; n++) {
                for (int h = 0; h < 5; h++) {
                    for (int w = 0; w < 5; w++) {
                        for (int f = 0; f < 3; f++) {
                            double sum = b.getDouble(f);
                            for (int kh = 0; kh < 3; kh++) {
                                for (int kw = 0; kw < 3; kw++) {
                                    int ih = h + kh - 1;
                                    int iw = w + kw - 1;
                                    if (ih >= 0 && ih < 5 && iw >= 0 && iw < 5) {
                                        for (int c = 0; c < 2; c++) {
                                            sum += x.getDouble(n, ih, iw, c) * k.getDouble(kh, kw, c, f);
                                        }
                                    }
                                }
                            }
                            expected.putScalar(new int[] {n, h, w, f}, sum);
                        }
                    }
                }
            }
            assertThat(relativeDifference(value(trace, "activation/conv2d"), expected))
                    .as("traced conv2d against the convolution written in TensorFlow layout").isLessThan(1e-14);
        }

        @Test
        @DisplayName("flatten's activation is the NHWC activation before it, flattened in TensorFlow's (h, w, c) order")
        void flattenInTensorFlowOrder() {
            INDArray before = value(trace, "activation/conv2d_1");           // [N, 3, 3, 2]
            INDArray tensorFlowFlatten = before.dup('c').reshape('c', TinyCnnModels.BATCH, 18);
            assertThat(sameBits(value(trace, "activation/flatten"), tensorFlowFlatten)).as("bit for bit").isTrue();
        }

        @Test
        @DisplayName("the Dense after the Flatten (C = 2) computes TensorFlow's function: softmax(flatten_tf W_tf + b)")
        void denseAfterFlatten() {
            INDArray z = value(trace, "activation/flatten").mmul(weights.get("dense/kernel"))
                    .addRowVector(weights.get("dense/bias"));
            INDArray p = Transforms.exp(z.subColumnVector(z.max(true, 1)), true);
            p = p.divColumnVector(p.sum(true, 1));
            assertThat(relativeDifference(value(trace, "probs/probs"), p)).isLessThan(1e-14);
        }

        @Test
        @DisplayName("NAIVE_FLATTEN: everything up to the Flatten agrees bit for bit, the first divergence is the Dense after it")
        void naiveFlattenDivergesAtTheDense() {
            ModelSpec twoDense = TinyCnnModels.convAvgPool();                // ... flatten [3, 2, 2], dense, dense_1
            WeightSet w = TinyCnnModels.weights(twoDense, WEIGHT_SEED);
            Batch b = TinyCnnModels.batch(twoDense, TinyCnnModels.BATCH, BATCH_SEED, true);
            Trace permuted = run(twoDense, w, b, Precision.FLOAT64, WeightLayout.Mode.PERMUTE_FLATTEN);
            Trace naive = run(twoDense, w, b, Precision.FLOAT64, WeightLayout.Mode.NAIVE_FLATTEN);
            List<String> differing = permuted.ofKind(TensorKind.ACTIVATION).stream().map(NamedTensor::key)
                    .filter(key -> !sameBits(value(permuted, key), value(naive, key))).toList();
            assertThat(differing).as("activations that differ between the modes, in trace order")
                    .startsWith("activation/dense")
                    .doesNotContain("activation/conv2d", "activation/average_pooling2d", "activation/flatten");
            assertThat(relativeDifference(value(naive, "activation/dense"), value(permuted, "activation/dense")))
                    .as("how far off the naive Dense is").isGreaterThan(1e-2);
        }
    }

    @Nested
    @DisplayName("dropout")
    class DropoutInModel {

        private final ModelSpec spec = TinyCnnModels.dropout();
        private final WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);

        @Test
        @DisplayName("training: out = (x * mask) * (1 / (1 - rate)) with the batch's NHWC mask, and after a flatten with its flat mask")
        void appliesTheMasks() {
            Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            Trace trace = run(spec, weights, batch, Precision.FLOAT64);
            INDArray image = value(trace, "activation/conv2d").mul(batch.dropoutMask("dropout")).mul(1 / (1 - 0.25));
            assertThat(sameBits(value(trace, "activation/dropout"), image)).as("dropout on the image, bit for bit").isTrue();
            INDArray flat = value(trace, "activation/flatten").mul(batch.dropoutMask("dropout_1")).mul(1 / (1 - 0.5));
            assertThat(sameBits(value(trace, "activation/dropout_1"), flat)).as("dropout after the flatten, bit for bit").isTrue();
            assertThat(batch.dropoutMask("dropout").minNumber().doubleValue()).as("the mask drops something").isZero();
        }

        @Test
        @DisplayName("inference: the identity, and no masks needed")
        void inference() {
            Trace trace = run(spec, false, Precision.FLOAT64);
            assertThat(sameBits(value(trace, "activation/dropout"), value(trace, "activation/conv2d"))).isTrue();
            assertThat(sameBits(value(trace, "activation/dropout_1"), value(trace, "activation/flatten"))).isTrue();
        }

        @Test
        @DisplayName("a training batch without a mask for a dropout layer: FixtureException naming the layer")
        void missingMask() {
            Batch full = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            Map<String, INDArray> masks = new LinkedHashMap<>(full.dropoutMasks());
            masks.remove("dropout_1");
            Batch batch = full.with(masks, true);
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT32))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("'dropout_1'")
                    .hasMessageContaining("no dropout mask");
        }

        @Test
        @DisplayName("a mask holding something other than 0 and 1: FixtureException naming the layer and the value")
        void notAKeepMask() {
            Batch full = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            Map<String, INDArray> masks = new LinkedHashMap<>(full.dropoutMasks());
            masks.put("dropout_1", masks.get("dropout_1").mul(0.5));
            Batch batch = full.with(masks, true);
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("'dropout_1'")
                    .hasMessageContaining("0.5");
        }

        @Test
        @DisplayName("a mask in NCHW instead of NHWC: FixtureException naming the layer, the expected and the found shape")
        void maskInTheWrongLayout() {
            Batch full = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            Map<String, INDArray> masks = new LinkedHashMap<>(full.dropoutMasks());
            masks.put("dropout", masks.get("dropout").permute(0, 3, 1, 2).dup('c'));
            Batch batch = full.with(masks, true);
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("'dropout'")
                    .hasMessageContaining("[3, 3, 4, 4]")
                    .hasMessageContaining("[3, 4, 4, 3]");
        }
    }

    @Nested
    @DisplayName("batch normalization")
    class BatchNormInModel {

        private static final double MOMENTUM = 0.9;
        private static final double EPSILON = 1e-3;

        @Test
        @DisplayName("training on [N, D]: moving mean and variance move towards the batch mean and the BIASED batch variance")
        void movingStatisticsFeatures() {
            ModelSpec spec = TinyCnnModels.batchNormFeatures();
            WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);
            Trace trace = run(spec, true, Precision.FLOAT64);
            INDArray x = value(trace, "activation/dense");                   // the BN's input [N, 5]
            INDArray mean = x.mean(0);
            INDArray biased = x.subRowVector(mean).mul(x.subRowVector(mean)).mean(0);
            INDArray expectedMean = weights.get("batch_normalization/moving_mean").mul(MOMENTUM).add(mean.mul(1 - MOMENTUM));
            INDArray expectedVariance = weights.get("batch_normalization/moving_variance").mul(MOMENTUM)
                    .add(biased.mul(1 - MOMENTUM));
            assertThat(relativeDifference(value(trace, "weight/batch_normalization/moving_mean"), expectedMean))
                    .isLessThan(1e-15);
            assertThat(relativeDifference(value(trace, "weight/batch_normalization/moving_variance"), expectedVariance))
                    .isLessThan(1e-15);
            INDArray unbiased = weights.get("batch_normalization/moving_variance").mul(MOMENTUM)
                    .add(biased.mul(3.0 / 2).mul(1 - MOMENTUM));                // m = N = 3: m / (m - 1) = 3/2
            assertThat(relativeDifference(value(trace, "weight/batch_normalization/moving_variance"), unbiased))
                    .as("against Bessel's correction, the trap").isGreaterThan(1e-3);
        }

        @Test
        @DisplayName("training on NHWC: the statistics of a channel are over N, H and W")
        void movingStatisticsImage() {
            ModelSpec spec = TinyCnnModels.batchNormImage(LossSpec.CATEGORICAL_CROSSENTROPY, false);
            WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);
            Trace trace = run(spec, true, Precision.FLOAT64);
            INDArray x = value(trace, "activation/conv2d");                  // [N, 2, 2, C=3]
            INDArray mean = x.mean(0, 1, 2);
            INDArray expected = weights.get("batch_normalization/moving_mean").mul(MOMENTUM).add(mean.mul(1 - MOMENTUM));
            assertThat(relativeDifference(value(trace, "weight/batch_normalization/moving_mean"), expected))
                    .isLessThan(1e-15);
        }

        @Test
        @DisplayName("inference: out = gamma (x - moving_mean) / sqrt(moving_variance + eps) + beta, and no weight tensors")
        void inference() {
            ModelSpec spec = TinyCnnModels.batchNormFeatures();
            WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);
            Trace trace = run(spec, false, Precision.FLOAT64);
            INDArray x = value(trace, "activation/dense");
            INDArray std = Transforms.sqrt(weights.get("batch_normalization/moving_variance").add(EPSILON), true);
            INDArray expected = x.subRowVector(weights.get("batch_normalization/moving_mean")).divRowVector(std)
                    .mulRowVector(weights.get("batch_normalization/gamma")).addRowVector(weights.get("batch_normalization/beta"));
            assertThat(relativeDifference(value(trace, "activation/batch_normalization"), expected)).isLessThan(1e-15);
            assertThat(trace.ofKind(TensorKind.WEIGHT)).isEmpty();
        }

        @Test
        @DisplayName("training: a bias right before batch normalization gets a zero gradient (the batch mean takes it away); inference: not")
        void biasBeforeBatchNorm() {
            ModelSpec spec = TinyCnnModels.batchNormImage(LossSpec.CATEGORICAL_CROSSENTROPY, true);
            double training = value(run(spec, true, Precision.FLOAT64), "gradient/conv2d/bias").amaxNumber().doubleValue();
            double inference = value(run(spec, false, Precision.FLOAT64), "gradient/conv2d/bias").amaxNumber().doubleValue();
            assertThat(training).as("largest |dL/db| in training (roundoff only)").isLessThan(1e-15);
            assertThat(inference).as("largest |dL/db| at inference").isGreaterThan(1e-3);
        }

        @Test
        @DisplayName("a pure function: a second training pass traces the same (the update is not fed back), the weights never change")
        void pure() {
            ModelSpec spec = TinyCnnModels.batchNormImage(LossSpec.CATEGORICAL_CROSSENTROPY, false);
            WeightSet weights = TinyCnnModels.weights(spec, WEIGHT_SEED);
            Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, true);
            try (ReferenceModel model = ReferenceModel.build(spec, weights, Precision.FLOAT64)) {
                Trace first = model.forwardBackward(batch);
                Trace inference = model.forwardBackward(batch.with(Map.of(), false));
                Trace second = model.forwardBackward(batch);
                for (NamedTensor t : first.tensors()) {
                    assertThat(sameBits(t.value(), value(second, t.key()))).as("%s in the second pass", t.key()).isTrue();
                }
                assertThat(inference.ofKind(TensorKind.WEIGHT)).isEmpty();
                Map<String, INDArray> after = model.weights();
                for (ParameterSpec p : spec.parameters()) {
                    assertThat(sameBits(after.get(p.name()), weights.get(p.name()))).as("%s after three passes", p.name())
                            .isTrue();
                }
            }
        }
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("whole-model gradient check (float64, Commons Math finite differences on the traced loss, kink-aware)")
    class GradCheck {

        /** Every (model, trainable parameter) pair: one test per gradient, so a failure names it. */
        static Stream<Arguments> gradients() {
            List<Arguments> args = new ArrayList<>();
            for (TinyCnnModels.Case c : TinyCnnModels.gradientCases()) {
                for (ParameterSpec p : c.spec().parameters()) {
                    if (p.trainable()) {
                        args.add(Arguments.of(c, p.name()));
                    }
                }
            }
            return args.stream();
        }

        @ParameterizedTest(name = "{0}: gradient of {1} matches the numerical gradient")
        @MethodSource("gradients")
        void gradient(TinyCnnModels.Case modelCase, String parameter) {
            ModelSpec spec = modelCase.spec();
            Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, modelCase.training());
            ModelFunction f = ModelFunction.ofParameter(spec, TinyCnnModels.weights(spec, WEIGHT_SEED), batch,
                    w -> run(spec, w, batch, Precision.FLOAT64), parameter);
            GradientCheckAssert.assertThat(GradientCheck.named(spec.name() + (modelCase.training() ? "" : " (inference)")
                    + " " + parameter).elementwise(f)).passes();
        }

        @ParameterizedTest(name = "{0}: 8 random projections over every trainable parameter at once")
        @MethodSource("org.paritysuite.reference.TinyCnnModels#gradientCases")
        void projections(TinyCnnModels.Case modelCase) {
            ModelSpec spec = modelCase.spec();
            Batch batch = TinyCnnModels.batch(spec, TinyCnnModels.BATCH, BATCH_SEED, modelCase.training());
            ModelFunction f = ModelFunction.ofAllTrainable(spec, TinyCnnModels.weights(spec, WEIGHT_SEED), batch,
                    w -> run(spec, w, batch, Precision.FLOAT64));
            GradientCheckAssert.assertThat(GradientCheck.named(spec.name() + (modelCase.training() ? "" : " (inference)")
                    + " all parameters").projections(f, 8, 12)).passes();
        }
    }

    @Nested
    @DisplayName("precision")
    class PrecisionIsReal {

        @ParameterizedTest(name = "{0}: every tensor of a CNN, dropout and batch normalization model is in its data type")
        @EnumSource(Precision.class)
        void dataTypes(Precision precision) {
            for (ModelSpec spec : List.of(TinyCnnModels.dropout(),
                    TinyCnnModels.batchNormImage(LossSpec.CATEGORICAL_CROSSENTROPY, false))) {
                for (NamedTensor t : run(spec, true, precision).tensors()) {
                    assertThat(t.value().dataType()).as("%s: %s in a %s run", spec.name(), t.key(), precision)
                            .isEqualTo(precision.dataType());
                }
            }
        }

        @Test
        @DisplayName("a float32 CNN run computes in float32: close to the float64 run, but its gradients are not those rounded")
        void float32IsFloat32() {
            ModelSpec spec = TinyCnnModels.convMaxPool();
            Trace single = run(spec, true, Precision.FLOAT32);
            Trace dbl = run(spec, true, Precision.FLOAT64);
            long differing = 0;
            for (NamedTensor t : dbl.tensors()) {
                INDArray f32 = value(single, t.key());
                // a few hundred float32 roundings (u = 6e-8) on tiny layers stay far below 1e-5 of the scale
                assertThat(relativeDifference(f32, t.value())).as("%s, float32 against float64", t.key()).isLessThan(1e-5);
                if (t.kind() == TensorKind.GRADIENT) {
                    float[] rounded = t.value().castTo(DataType.FLOAT).data().asFloat();
                    float[] computed = f32.data().asFloat();
                    for (int i = 0; i < rounded.length; i++) {
                        differing += rounded[i] != computed[i] ? 1 : 0;
                    }
                }
            }
            assertThat(differing).as("gradient elements where float32 differs from rounded float64").isPositive();
        }
    }
}
