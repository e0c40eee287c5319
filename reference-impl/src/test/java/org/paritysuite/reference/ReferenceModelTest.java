package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
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
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.ModelFunction;
import org.paritysuite.fixtures.gradcheck.Sample;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;

@DisplayName("ReferenceModel")
class ReferenceModelTest {

    private static final long WEIGHT_SEED = 42;
    private static final long BATCH_SEED = 7;

    private static Trace run(ModelSpec spec, WeightSet weights, Batch batch, Precision precision) {
        try (ReferenceModel model = ReferenceModel.build(spec, weights, precision)) {
            return model.forwardBackward(batch);
        }
    }

    private static Trace run(ModelSpec spec, Precision precision) {
        return run(spec, TinyModels.weights(spec, WEIGHT_SEED), TinyModels.batch(BATCH_SEED), precision);
    }

    @Nested
    @DisplayName("trace")
    class TraceLayout {

        @ParameterizedTest(name = "{0}: keys in the agreed order: activations, probs, loss, gradients in parameter order")
        @EnumSource(Precision.class)
        void order(Precision precision) {
            List<String> keys = run(TinyModels.crossEntropy(), precision).tensors().stream().map(NamedTensor::key).toList();
            assertThat(keys).as("trace keys").containsExactly(
                    "activation/dense", "activation/dense_1", "probs/probs", "loss/loss",
                    "gradient/dense/kernel", "gradient/dense/bias",
                    "gradient/dense_1/kernel", "gradient/dense_1/bias",
                    "gradient/dense_2/kernel", "gradient/dense_2/bias");
        }

        @ParameterizedTest(name = "{0}: shapes [N, units], [N, classes], [], and each parameter's TensorFlow shape")
        @EnumSource(Precision.class)
        void shapes(Precision precision) {
            Trace trace = run(TinyModels.crossEntropy(), precision);
            assertThat(shapeOf(trace, "activation/dense")).as("activation/dense").containsExactly(5, 5);
            assertThat(shapeOf(trace, "activation/dense_1")).as("activation/dense_1").containsExactly(5, 4);
            assertThat(shapeOf(trace, "probs/probs")).as("probs").containsExactly(5, 3);
            assertThat(shapeOf(trace, "loss/loss")).as("loss (rank 0)").isEmpty();
            for (ParameterSpec p : TinyModels.crossEntropy().parameters()) {
                assertThat(shapeOf(trace, "gradient/" + p.name())).as("gradient of %s", p.name())
                        .containsExactly(p.shape().stream().mapToLong(Integer::longValue).toArray());
            }
        }

        @ParameterizedTest(name = "{0}: every tensor is in the precision's data type")
        @EnumSource(Precision.class)
        void dataTypes(Precision precision) {
            for (NamedTensor t : run(TinyModels.crossEntropy(), precision).tensors()) {
                assertThat(t.value().dataType()).as("data type of %s in a %s run", t.key(), precision)
                        .isEqualTo(precision.dataType());
            }
        }

        @Test
        @DisplayName("leaves out gradients for biases the spec does not have")
        void noBias() {
            ModelSpec spec = TinyModels.all().get(3).spec();
            List<String> gradients = run(spec, Precision.FLOAT64).ofKind(TensorKind.GRADIENT).stream()
                    .map(NamedTensor::name).toList();
            assertThat(gradients).as("gradients of a model without biases")
                    .containsExactly("dense/kernel", "dense_1/kernel", "dense_2/kernel");
        }

        @Test
        @DisplayName("holds copies: overwriting one trace changes neither the model nor the next trace")
        void freshCopies() {
            ModelSpec spec = TinyModels.crossEntropy();
            Batch batch = TinyModels.batch(BATCH_SEED);
            try (ReferenceModel model = ReferenceModel.build(spec, TinyModels.weights(spec, WEIGHT_SEED), Precision.FLOAT64)) {
                Trace first = model.forwardBackward(batch);
                List<double[]> firstValues = first.tensors().stream().map(t -> t.value().dup().data().asDouble()).toList();
                first.tensors().forEach(t -> t.value().assign(Double.NaN));
                Trace second = model.forwardBackward(batch);
                List<double[]> secondValues = second.tensors().stream().map(t -> t.value().data().asDouble()).toList();
                assertThat(secondValues).as("the second trace after the first was overwritten with NaN")
                        .usingRecursiveFieldByFieldElementComparator().isEqualTo(firstValues);
            }
        }

        @Test
        @DisplayName("leaves the batch unchanged")
        void batchUnchanged() {
            Batch batch = TinyModels.batch(BATCH_SEED);
            INDArray x = batch.x().dup();
            INDArray y = batch.y().dup();
            run(TinyModels.crossEntropy(), TinyModels.weights(TinyModels.crossEntropy(), WEIGHT_SEED), batch, Precision.FLOAT64);
            assertThat(batch.x()).as("batch inputs after a forward/backward pass").isEqualTo(x);
            assertThat(batch.y()).as("batch labels after a forward/backward pass").isEqualTo(y);
        }

        @Test
        @DisplayName("names its side 'reference' and reports its precision")
        void identity() {
            ModelSpec spec = TinyModels.crossEntropy();
            try (ReferenceModel model = ReferenceModel.build(spec, TinyModels.weights(spec, 1), Precision.FLOAT32)) {
                assertThat(model.side()).isEqualTo("reference");
                assertThat(model.precision()).isEqualTo(Precision.FLOAT32);
            }
        }

        private long[] shapeOf(Trace trace, String key) {
            return trace.find(key).orElseThrow(() -> new AssertionError("trace has no " + key)).value().shape();
        }
    }

    @Nested
    @DisplayName("loss")
    class LossValue {

        @Test
        @DisplayName("categorical cross-entropy equals -mean log p of the true class, from the traced probs")
        void crossEntropyFromProbs() {
            Batch batch = TinyModels.batch(BATCH_SEED);
            Trace trace = run(TinyModels.crossEntropy(), TinyModels.weights(TinyModels.crossEntropy(), WEIGHT_SEED), batch,
                    Precision.FLOAT64);
            double[][] p = trace.find("probs/probs").orElseThrow().value().toDoubleMatrix();
            double[][] y = batch.y().toDoubleMatrix();
            double expected = 0;
            for (int n = 0; n < p.length; n++) {
                for (int k = 0; k < p[n].length; k++) {
                    expected -= y[n][k] * Math.log(p[n][k]) / p.length;
                }
            }
            assertThat(trace.loss()).as("traced loss against -mean log p").isCloseTo(expected, within(1e-14));
        }

        @Test
        @DisplayName("includes lambda * sum(W^2) for every penalised kernel")
        void includesPenalties() {
            double lambda = 0.01;
            ModelSpec plain = TinyModels.crossEntropy();
            ModelSpec penalised = TinyModels.all().get(1).spec();
            WeightSet weights = TinyModels.weights(plain, WEIGHT_SEED);
            double expectedPenalty = 0;
            for (ParameterSpec p : plain.parameters()) {
                if (p.role() == ParameterSpec.Role.KERNEL) {
                    INDArray w = weights.get(p.name());
                    expectedPenalty += lambda * w.mul(w).sumNumber().doubleValue();
                }
            }
            Batch batch = TinyModels.batch(BATCH_SEED);
            double difference = run(penalised, weights, batch, Precision.FLOAT64).loss()
                    - run(plain, weights, batch, Precision.FLOAT64).loss();
            assertThat(difference).as("loss with L2 %s minus loss without", lambda).isCloseTo(expectedPenalty, within(1e-14));
        }
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("whole-model gradient check (float64, Commons Math finite differences on the traced loss, kink-aware)")
    class GradCheck {

        /** Every (model, parameter) pair: one test per gradient, so a failure names it. */
        static Stream<Arguments> gradients() {
            List<Arguments> args = new ArrayList<>();
            for (TinyModels.Case c : TinyModels.all()) {
                for (ParameterSpec p : c.spec().parameters()) {
                    args.add(Arguments.of(c, p.name()));
                }
            }
            return args.stream();
        }

        private static ModelFunction loss(ModelSpec spec, WeightSet weights, Batch batch, String parameter) {
            return ModelFunction.ofParameter(spec, weights, batch, w -> run(spec, w, batch, Precision.FLOAT64), parameter);
        }

        @ParameterizedTest(name = "{0}: gradient of {1} matches the numerical gradient")
        @MethodSource("gradients")
        void gradient(TinyModels.Case modelCase, String parameter) {
            ModelSpec spec = modelCase.spec();
            ModelFunction f = loss(spec, TinyModels.weights(spec, WEIGHT_SEED), TinyModels.batch(BATCH_SEED), parameter);
            GradientCheckAssert.assertThat(GradientCheck.named(spec.name() + " " + parameter).elementwise(f)).passes();
        }

        @ParameterizedTest(name = "{0}: 8 random projections over every parameter at once")
        @MethodSource("org.paritysuite.reference.TinyModels#all")
        void projections(TinyModels.Case modelCase) {
            ModelSpec spec = modelCase.spec();
            Batch batch = TinyModels.batch(BATCH_SEED);
            ModelFunction f = ModelFunction.ofAllTrainable(spec, TinyModels.weights(spec, WEIGHT_SEED), batch,
                    w -> run(spec, w, batch, Precision.FLOAT64));
            GradientCheckAssert.assertThat(GradientCheck.named(spec.name() + " all parameters").projections(f, 8, 11))
                    .passes();
        }

        @Nested
        @DisplayName("a ReLU pre-activation placed exactly on the kink (example 0, unit 0 of the first layer)")
        class OnTheKink {

            private final ModelSpec spec = TinyModels.crossEntropy();
            private final Batch batch = TinyModels.batch(BATCH_SEED);
            private final WeightSet weights = onTheKink();

            /** The tiny weights with dense/bias[0] = -(x[0] . W[:, 0]), so z[0, 0] = 0 up to rounding. */
            private WeightSet onTheKink() {
                Map<String, INDArray> map = TinyModels.weights(spec, WEIGHT_SEED).asMap();
                double z = batch.x().getRow(0).mul(map.get("dense/kernel").getColumn(0)).sumNumber().doubleValue();
                map.get("dense/bias").putScalar(0, -z);
                return WeightSet.of(map);
            }

            @Test
            @DisplayName("the check of dense/bias skips exactly bias[0], whose step crosses the kink, and passes")
            void skipped() {
                GradientCheckAssert.assertThat(GradientCheck.named("tiny-ce on the kink dense/bias")
                        .elementwise(loss(spec, weights, batch, "dense/bias"))).passes().skippedAtKinks(1);
            }

            @Test
            @DisplayName("the check of dense/kernel skips column 0 (all 6 inputs move z[0, 0]) and passes")
            void kernelColumnSkipped() {
                GradientCheckAssert.assertThat(GradientCheck.named("tiny-ce on the kink dense/kernel")
                        .elementwise(loss(spec, weights, batch, "dense/kernel"))).passes().skippedAtKinks(6);
            }

            @Test
            @DisplayName("without kink awareness the check of dense/bias fails at bias[0]")
            void failsWhenIgnored() {
                ModelFunction aware = loss(spec, weights, batch, "dense/bias");
                CheckedFunction unaware = new CheckedFunction() {
                    @Override
                    public INDArray point() {
                        return aware.point();
                    }

                    @Override
                    public long[] outputShape() {
                        return aware.outputShape();
                    }

                    @Override
                    public Sample dot(INDArray v, INDArray x) {
                        return Sample.smooth(aware.dot(v, x).value());
                    }

                    @Override
                    public INDArray vjp(INDArray v) {
                        return aware.vjp(v);
                    }
                };
                GradientCheckAssert.assertThat(GradientCheck.named("tiny-ce on the kink dense/bias, kinks ignored")
                        .elementwise(unaware)).fails();
            }
        }
    }

    @Nested
    @DisplayName("precision")
    class PrecisionIsReal {

        @Test
        @DisplayName("a float32 run agrees with the float64 run to float32 accuracy")
        void float32CloseToFloat64() {
            Trace single = run(TinyModels.crossEntropy(), Precision.FLOAT32);
            Trace dbl = run(TinyModels.crossEntropy(), Precision.FLOAT64);
            for (NamedTensor t : dbl.tensors()) {
                INDArray f32 = single.find(t.key()).orElseThrow().value().castTo(DataType.DOUBLE);
                double scale = t.value().amaxNumber().doubleValue();
                double worst = f32.sub(t.value()).amaxNumber().doubleValue();
                // a few dozen float32 roundings (u = 6e-8) on a 6-5-4-3 network stay far below 1e-5
                assertThat(worst).as("largest |float32 - float64| of %s (largest |value| %s)", t.key(), scale)
                        .isLessThanOrEqualTo(1e-5 * Math.max(scale, 1e-3));
            }
        }

        @Test
        @DisplayName("a float32 run computes in float32: its gradients are not the float64 gradients rounded")
        void float32IsNotRoundedFloat64() {
            Trace single = run(TinyModels.crossEntropy(), Precision.FLOAT32);
            Trace dbl = run(TinyModels.crossEntropy(), Precision.FLOAT64);
            long differing = 0;
            long total = 0;
            for (NamedTensor t : dbl.ofKind(TensorKind.GRADIENT)) {
                float[] rounded = t.value().castTo(DataType.FLOAT).data().asFloat();
                float[] computed = single.find(t.key()).orElseThrow().value().data().asFloat();
                for (int i = 0; i < rounded.length; i++) {
                    total++;
                    if (rounded[i] != computed[i]) {
                        differing++;
                    }
                }
            }
            // float32 arithmetic leaves last-bit differences in a good share of the elements;
            // rounding a float64 computation would leave none.
            assertThat(differing).as("gradient elements (of %s) where float32 differs from rounded float64", total)
                    .isPositive();
        }
    }

    @Nested
    @DisplayName("rejects, before computing anything")
    class Validation {

        private final ModelSpec spec = TinyModels.crossEntropy();
        private final WeightSet weights = TinyModels.weights(spec, WEIGHT_SEED);

        @Test
        @DisplayName("inputs of the wrong width, naming expected and found shapes")
        void wrongInputWidth() {
            Batch batch = batchOf(new long[] {5, 7}, new long[] {5, 3});
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("inputs have shape [5, 7]")
                    .hasMessageContaining("expects [N, 6]")
                    .hasMessageContaining("tiny-ce");
        }

        @Test
        @DisplayName("inputs of the wrong rank, naming expected and found shapes")
        void wrongInputRank() {
            Batch batch = batchOf(new long[] {5, 2, 3}, new long[] {5, 3});
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT32))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("[5, 2, 3]")
                    .hasMessageContaining("[N, 6]");
        }

        @Test
        @DisplayName("labels with the wrong number of classes, naming expected and found shapes")
        void wrongClasses() {
            Batch batch = batchOf(new long[] {5, 6}, new long[] {5, 4});
            assertThatThrownBy(() -> run(spec, weights, batch, Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("labels have shape [5, 4]")
                    .hasMessageContaining("3 classes")
                    .hasMessageContaining("[N, 3]");
        }

        @Test
        @DisplayName("weights that miss a parameter of the spec, naming it")
        void missingWeight() {
            Map<String, INDArray> tensors = weights.asMap();
            tensors.remove("dense_1/bias");
            assertThatThrownBy(() -> ReferenceModel.build(spec, WeightSet.of(tensors), Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("dense_1/bias");
        }

        @Test
        @DisplayName("a softmax along the channels of an image, naming the layer")
        void softmaxOverChannels() {
            ModelSpec channelSoftmax = TinyCnnModels.spec("tiny-channel-softmax", List.of(4, 4, 2),
                    LossSpec.CATEGORICAL_CROSSENTROPY,
                    new Conv2DSpec("conv2d", 3, TinyCnnModels.window(2, 1, Padding.VALID), Activation.SOFTMAX, true, 0),
                    new FlattenSpec("flatten"),
                    new DenseSpec("dense", TinyCnnModels.CLASSES, Activation.SOFTMAX, true, 0));
            WeightSet channelWeights = TinyCnnModels.weights(channelSoftmax, WEIGHT_SEED);
            assertThatThrownBy(() -> ReferenceModel.build(channelSoftmax, channelWeights, Precision.FLOAT64))
                    .isInstanceOf(FixtureException.class)
                    .hasMessageContaining("'conv2d'")
                    .hasMessageContaining("softmax along the channels");
        }

        @Test
        @DisplayName("a pass after close")
        void closed() {
            ReferenceModel model = ReferenceModel.build(spec, weights, Precision.FLOAT64);
            model.close();
            assertThatThrownBy(() -> model.forwardBackward(TinyModels.batch(BATCH_SEED)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }

        private Batch batchOf(long[] xShape, long[] yShape) {
            return new Batch(Nd4j.zeros(DataType.DOUBLE, xShape), Nd4j.zeros(DataType.DOUBLE, yShape), "a malformed batch");
        }
    }
}
