package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.BatchNormSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.DropoutSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

@DisplayName("WeightLayout: TensorFlow layout <-> reference layout")
class WeightLayoutTest {

    /**
     * H = 2, W = 2, C = 3 flattened into a dense layer of 2 units. TensorFlow row (h*W + w)*C + c is
     * reference row (c*H + h)*W + w; reading the reference rows in order (c, h, w):
     * <pre>
     *   reference row   0  1  2  3   4  5  6  7    8  9 10 11
     *   (c, h, w)       (0,0,0) (0,0,1) (0,1,0) (0,1,1)  (1,0,0) ...  (2,1,1)
     *   TensorFlow row  0  3  6  9   1  4  7 10    2  5  8 11
     * </pre>
     */
    private static final int[] TENSORFLOW_ROW_OF_REFERENCE_ROW = {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11};

    private static ModelSpec flattenThenDense(int h, int w, int c) {
        return TinyCnnModels.spec("flatten-" + h + "x" + w + "x" + c, List.of(h, w, c), LossSpec.CATEGORICAL_CROSSENTROPY,
                new FlattenSpec("flatten"),
                new DenseSpec("dense", TinyCnnModels.CLASSES, Activation.SOFTMAX, true, 0));
    }

    /** A TensorFlow-layout array whose element at index (i, j, ...) is its c-order linear index. */
    private static INDArray indices(List<Integer> shape) {
        return TestImages.sequence(shape.stream().mapToLong(Integer::longValue).toArray()).sub(1);
    }

    /** Same shape and bit-identical values (INDArray.equals allows a difference of 1e-5). */
    static boolean sameBits(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) && a.dataType() == b.dataType()
                && Arrays.equals(a.dup('c').data().asDouble(), b.dup('c').data().asDouble());
    }

    private static ParameterSpec parameter(ModelSpec spec, String name) {
        return spec.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Nested
    @DisplayName("round trip TensorFlow -> reference -> TensorFlow, every parameter of every zoo model")
    class RoundTrip {

        /** Every model with the correct layout; NAIVE_FLATTEN too where it changes something (a Flatten of an image). */
        static Stream<Arguments> modelsAndModes() {
            List<Arguments> args = new ArrayList<>();
            for (String id : ModelZoo.ids()) {
                args.add(Arguments.of(id, WeightLayout.Mode.PERMUTE_FLATTEN));
                if (ModelZoo.load(id).inputShape().size() == 3) {
                    args.add(Arguments.of(id, WeightLayout.Mode.NAIVE_FLATTEN));
                }
            }
            return args.stream();
        }

        @ParameterizedTest(name = "{0}, {1}: bit-exact through a float64 and a float32 reference")
        @MethodSource("modelsAndModes")
        void bitExact(String id, WeightLayout.Mode mode) {
            ModelSpec spec = ModelZoo.load(id);
            WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());  // float32-representable
            WeightLayout layout = WeightLayout.of(spec, mode);
            List<String> broken = new ArrayList<>();
            for (Precision precision : Precision.values()) {
                Map<String, INDArray> reference = layout.toReference(weights, precision.dataType());
                Map<String, INDArray> back = layout.toTensorFlow(reference);
                for (ParameterSpec p : spec.parameters()) {
                    INDArray original = weights.get(p.name());
                    INDArray ref = reference.get(p.name());
                    INDArray returned = back.get(p.name());
                    if (ref.dataType() != precision.dataType() || !Arrays.equals(ref.shape(), layout.referenceShape(p))) {
                        broken.add(p.name() + " in the " + precision + " reference: " + ref.dataType() + " "
                                + Arrays.toString(ref.shape()));
                    }
                    if (!Arrays.equals(returned.shape(), original.shape())
                            || !Arrays.equals(returned.castTo(DataType.DOUBLE).data().asDouble(), original.data().asDouble())) {
                        broken.add(p.name() + " after a " + precision + " round trip");
                    }
                }
            }
            assertThat(broken).as("%s (%s): parameters that do not survive the round trip bit for bit", id, mode).isEmpty();
        }
    }

    @Nested
    @DisplayName("the first Dense kernel after a Flatten of an image")
    class FlattenPermutation {

        @Test
        @DisplayName("H=2, W=2, C=3: reference row (c*H + h)*W + w holds TensorFlow row (h*W + w)*C + c, worked by hand")
        void byHand() {
            ModelSpec spec = flattenThenDense(2, 2, 3);
            ParameterSpec kernel = parameter(spec, "dense/kernel");
            INDArray tf = indices(kernel.shape());                          // tf[r, m] = 3 r + m
            INDArray reference = WeightLayout.of(spec).toReference(kernel, tf, DataType.DOUBLE);
            double[][] expected = new double[12][3];
            for (int row = 0; row < 12; row++) {
                for (int m = 0; m < 3; m++) {
                    expected[row][m] = 3 * TENSORFLOW_ROW_OF_REFERENCE_ROW[row] + m;
                }
            }
            assertThat(reference.toDoubleMatrix()).as("reference kernel rows in (c, h, w) order").isDeepEqualTo(expected);
            assertThat(WeightLayout.of(spec).toTensorFlow(kernel, reference).toDoubleMatrix())
                    .as("and back").isDeepEqualTo(tf.toDoubleMatrix());
        }

        @Test
        @DisplayName("per-feature vectors between the Flatten and the Dense (batch normalization) move like the rows")
        void perFeatureVectorsBetween() {
            ModelSpec spec = TinyCnnModels.spec("flatten-bn-dropout-dense", List.of(2, 2, 3),
                    LossSpec.CATEGORICAL_CROSSENTROPY,
                    new FlattenSpec("flatten"),
                    new BatchNormSpec("batch_normalization", 0.99, 1e-3),
                    new DropoutSpec("dropout", 0.5),
                    new DenseSpec("dense", TinyCnnModels.CLASSES, Activation.SOFTMAX, true, 0));
            WeightLayout layout = WeightLayout.of(spec);
            for (String name : List.of("batch_normalization/gamma", "batch_normalization/moving_variance")) {
                ParameterSpec p = parameter(spec, name);
                INDArray reference = layout.toReference(p, indices(p.shape()), DataType.DOUBLE);
                assertThat(reference.toDoubleVector()).as("%s in reference feature order", name)
                        .containsExactly(Arrays.stream(TENSORFLOW_ROW_OF_REFERENCE_ROW).asDoubleStream().toArray());
            }
            ParameterSpec kernel = parameter(spec, "dense/kernel");
            INDArray rows = layout.toReference(kernel, indices(kernel.shape()), DataType.DOUBLE).getColumn(0);
            assertThat(rows.toDoubleVector()).as("dense/kernel column 0 after flatten, BN and dropout")
                    .containsExactly(Arrays.stream(TENSORFLOW_ROW_OF_REFERENCE_ROW).asDoubleStream().map(r -> 3 * r).toArray());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(WeightLayout.Mode.class)
        @DisplayName("with C = 1 the two flatten orders coincide: the kernel is copied as it is (why the bug hides on MNIST)")
        void singleChannel(WeightLayout.Mode mode) {
            ModelSpec spec = flattenThenDense(3, 4, 1);
            ParameterSpec kernel = parameter(spec, "dense/kernel");
            INDArray tf = indices(kernel.shape());
            assertThat(sameBits(WeightLayout.of(spec, mode).toReference(kernel, tf, DataType.DOUBLE), tf)).isTrue();
        }

        @Test
        @DisplayName("the layouts of ds541-cnn-a: NHWC images up to the Flatten, flattened [26, 26, 32] into the Dense")
        void ds541Layouts() {
            WeightLayout layout = WeightLayout.of(ModelZoo.load("ds541-cnn-a"));
            assertThat(layout.input()).isEqualTo(TensorLayout.image(28, 28, 1));
            assertThat(layout.outputOf("conv2d")).isEqualTo(TensorLayout.image(28, 28, 64));
            assertThat(layout.inputOf("dropout_1")).isEqualTo(TensorLayout.image(26, 26, 32));
            assertThat(layout.outputOf("flatten")).isEqualTo(TensorLayout.flattenedImage(26, 26, 32));
            assertThat(layout.inputOf("dense")).isEqualTo(TensorLayout.flattenedImage(26, 26, 32));
            assertThat(layout.outputOf("dense")).isEqualTo(TensorLayout.flat(256));
            assertThat(layout.inputOf("dropout_2")).isEqualTo(TensorLayout.flat(256));
        }
    }

    @Nested
    @DisplayName("global average pooling: one value per channel, in the same order on both sides")
    class GlobalAveragePooling {

        private final ModelSpec spec = TinyCnnModels.convGlobalAvgPool();

        @Test
        @DisplayName("takes an IMAGE and gives a FLAT output")
        void layouts() {
            WeightLayout layout = WeightLayout.of(spec);
            assertThat(layout.inputOf("global_average_pooling2d")).isEqualTo(TensorLayout.image(4, 3, 4));
            assertThat(layout.outputOf("global_average_pooling2d")).isEqualTo(TensorLayout.flat(4));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(WeightLayout.Mode.class)
        @DisplayName("the next Dense kernel is copied as it is")
        void kernelCopied(WeightLayout.Mode mode) {
            ParameterSpec kernel = parameter(spec, "dense/kernel");
            INDArray tf = indices(kernel.shape());
            assertThat(sameBits(WeightLayout.of(spec, mode).toReference(kernel, tf, DataType.DOUBLE), tf)).isTrue();
        }
    }

    @Nested
    @DisplayName("NAIVE_FLATTEN: what a port that forgets the flatten order does")
    class NaiveFlatten {

        @ParameterizedTest(name = "{0}: differs from PERMUTE_FLATTEN on dense/kernel and on nothing else")
        @ValueSource(strings = {"ds541-cnn-a"})
        void differsExactlyOnTheKernelAfterTheFlatten(String id) {
            ModelSpec spec = ModelZoo.load(id);
            WeightSet weights = GlorotUniform.initialise(spec, spec.training().seed());
            Map<String, INDArray> permuted = WeightLayout.of(spec, WeightLayout.Mode.PERMUTE_FLATTEN)
                    .toReference(weights, DataType.DOUBLE);
            Map<String, INDArray> naive = WeightLayout.of(spec, WeightLayout.Mode.NAIVE_FLATTEN)
                    .toReference(weights, DataType.DOUBLE);
            List<String> differing = spec.parameters().stream().map(ParameterSpec::name)
                    .filter(name -> !sameBits(permuted.get(name), naive.get(name))).toList();
            assertThat(differing).as("%s: parameters whose reference copy depends on the mode", id)
                    .containsExactly("dense/kernel");
            assertThat(sameBits(naive.get("dense/kernel"), weights.get("dense/kernel")))
                    .as("the naive copy is TensorFlow's kernel unchanged").isTrue();
        }

        @Test
        @DisplayName("copies the by-hand example's rows unpermuted")
        void byHand() {
            ModelSpec spec = flattenThenDense(2, 2, 3);
            ParameterSpec kernel = parameter(spec, "dense/kernel");
            INDArray tf = indices(kernel.shape());
            assertThat(sameBits(WeightLayout.of(spec, WeightLayout.Mode.NAIVE_FLATTEN).toReference(kernel, tf,
                    DataType.DOUBLE), tf)).isTrue();
        }
    }

    @Nested
    @DisplayName("convolution kernels")
    class ConvKernels {

        @Test
        @DisplayName("[KH, KW, C, F] -> [F, C, KH, KW]: W_ref[f, c, kh, kw] = W_tf[kh, kw, c, f], element by element")
        void permutation() {
            ModelSpec spec = TinyCnnModels.convMaxPool();                    // conv2d/kernel [3, 3, 2, 3]
            ParameterSpec kernel = parameter(spec, "conv2d/kernel");
            INDArray tf = indices(kernel.shape());
            INDArray reference = WeightLayout.of(spec).toReference(kernel, tf, DataType.DOUBLE);
            assertThat(reference.shape()).containsExactly(3, 2, 3, 3);
            for (int f = 0; f < 3; f++) {
                for (int c = 0; c < 2; c++) {
                    for (int kh = 0; kh < 3; kh++) {
                        for (int kw = 0; kw < 3; kw++) {
                            assertThat(reference.getDouble(f, c, kh, kw)).as("W_ref[%d, %d, %d, %d]", f, c, kh, kw)
                                    .isEqualTo(tf.getDouble(kh, kw, c, f));
                        }
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("contract")
    class Contract {

        private final ModelSpec spec = TinyCnnModels.convMaxPool();
        private final WeightLayout layout = WeightLayout.of(spec);

        @Test
        @DisplayName("returns copies: writing to a result leaves the argument alone (even when no cast or move is needed)")
        void freshCopy() {
            for (ParameterSpec p : spec.parameters()) {
                INDArray original = indices(p.shape());
                INDArray before = original.dup();
                layout.toReference(p, original, DataType.DOUBLE).assign(42.0);
                INDArray reference = layout.toReference(p, original, DataType.DOUBLE);
                layout.toTensorFlow(p, reference).assign(43.0);
                assertThat(sameBits(original, before)).as("%s unchanged after writing to both results", p.name()).isTrue();
            }
        }

        @Test
        @DisplayName("rejects a tensor whose shape is not the parameter's, naming both")
        void wrongShape() {
            ParameterSpec kernel = parameter(spec, "conv2d/kernel");
            INDArray referenceShaped = Nd4j.zeros(DataType.DOUBLE, 3, 2, 3, 3);
            assertThatThrownBy(() -> layout.toReference(kernel, referenceShaped, DataType.DOUBLE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conv2d/kernel")
                    .hasMessageContaining("[3, 3, 2, 3]")
                    .hasMessageContaining("[3, 2, 3, 3]");
        }

        @Test
        @DisplayName("rejects a parameter of another model, naming it")
        void foreignParameter() {
            ParameterSpec other = new ParameterSpec("conv2d/kernel", "conv2d", ParameterSpec.Role.KERNEL,
                    List.of(3, 3, 1, 8), 0);
            assertThatThrownBy(() -> layout.toReference(other, Nd4j.zeros(DataType.DOUBLE, 3, 3, 1, 8), DataType.DOUBLE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("conv2d/kernel")
                    .hasMessageContaining("tiny-cnn-max");
        }

        @Test
        @DisplayName("describes every parameter's conversion")
        void describe() {
            assertThat(layout.describe()).containsExactly(
                    "conv2d/kernel [3, 3, 2, 3]: [KH, KW, C, F] -> [F, C, KH, KW]",
                    "conv2d/bias [3]: copied",
                    "conv2d_1/kernel [2, 2, 3, 2]: [KH, KW, C, F] -> [F, C, KH, KW]",
                    "conv2d_1/bias [2]: copied",
                    "dense/kernel [18, 3]: axis 0 permuted from NHWC to NCHW flatten order, FLATTENED_IMAGE [H=3, W=3, C=2]",
                    "dense/bias [3]: copied");
        }
    }
}
