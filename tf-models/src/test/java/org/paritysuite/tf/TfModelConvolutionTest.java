package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paritysuite.tf.TinyModels.flat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.FlattenSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

@DisplayName("TfModel convolution, pooling and flatten, checked against values worked out by hand (float64)")
class TfModelConvolutionTest {

    /** A 3x3 one-channel image, row-major: x[h][w]. */
    static final double[] IMAGE_3X3 = {
            1, 2, 0,
            0, 1, 3,
            2, 1, 1};
    /** A 2x2 kernel K[kh][kw] for one input and one output channel: [KH, KW, C, F] = [2, 2, 1, 1]. */
    static final double[] KERNEL_2X2 = {
            1, 0.5,
            -1, 2};
    static final double BIAS = 0.25;

    /**
     * Runs {@code layer -> flatten -> dense(1, linear)} (MSE) on one image and returns the
     * traced activation of {@code layer}, NHWC and flat in row-major order.
     */
    private static double[] activation(LayerSpec layer, List<Integer> imageShape, double[] image, WeightSet layerWeights) {
        ModelSpec spec = TinyModels.spec("probe", imageShape, LossSpec.MEAN_SQUARED_ERROR, layer,
                new FlattenSpec("flatten"), TinyModels.dense("out", 1, Activation.LINEAR));
        int flatSize = spec.layerOutputShapes().get(1).get(0);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> weights = layerWeights.asMap();
        weights.put("out/kernel", Nd4j.zeros(DataType.DOUBLE, flatSize, 1));
        weights.put("out/bias", Nd4j.zeros(DataType.DOUBLE, 1));
        long[] xShape = {1, imageShape.get(0), imageShape.get(1), imageShape.get(2)};
        try (TfModel model = TfModel.build(spec, WeightSet.of(weights), Precision.FLOAT64)) {
            Trace trace = model.forwardBackward(TinyModels.batch(image, xShape, 1, "one image"));
            return flat(trace.find("activation/" + layer.name()).orElseThrow().value());
        }
    }

    private static double[] conv(Conv2DSpec conv, List<Integer> imageShape, double[] image, double[] kernel,
                                 long[] kernelShape, double bias) {
        WeightSet weights = conv.useBias()
                ? TinyModels.weights(conv.name() + "/kernel", TinyModels.array(kernelShape, kernel),
                        conv.name() + "/bias", Nd4j.create(new double[] {bias}))
                : TinyModels.weights(conv.name() + "/kernel", TinyModels.array(kernelShape, kernel));
        return activation(conv, imageShape, image, weights);
    }

    private static double[] pool(Pool2DSpec pool, List<Integer> imageShape, double[] image) {
        return activation(pool, imageShape, image, WeightSet.of(new java.util.LinkedHashMap<>()));
    }

    @Nested
    @DisplayName("conv2d (kernel [KH, KW, C, F], NHWC)")
    class Conv2D {

        @Test
        @DisplayName("VALID is cross-correlation (no kernel flip) plus bias: out[i][j] = sum K[a][b] x[i+a][j+b] + b")
        void validCrossCorrelation() {
            // out[0][0] = 1*1 + 0.5*2 - 1*0 + 2*1 = 4; out[0][1] = 2 + 0 - 1 + 6 = 7;
            // out[1][0] = 0 + 0.5 - 2 + 2 = 0.5;      out[1][1] = 1 + 1.5 - 1 + 2 = 3.5.
            double[] out = conv(TinyModels.conv("conv", 1, 2, 1, Padding.VALID, Activation.LINEAR), List.of(3, 3, 1),
                    IMAGE_3X3, KERNEL_2X2, new long[] {2, 2, 1, 1}, BIAS);

            assertThat(out).containsExactly(4.25, 7.25, 0.75, 3.75);
        }

        @Test
        @DisplayName("SAME with an even kernel pads the extra row and column at the bottom/right, none at the top/left")
        void sameEvenKernelPadsBottomRight() {
            // Total padding (3 - 1) * 1 + 2 - 3 = 1 per dimension, all of it after: the first two rows
            // and columns are the VALID result, the last row/column sees zeros beyond the image.
            // out[0][2] = 1*0 - 1*3 = -3;  out[1][2] = 1*3 - 1*1 = 2;
            // out[2][0] = 1*2 + 0.5*1 = 2.5; out[2][1] = 1*1 + 0.5*1 = 1.5; out[2][2] = 1*1 = 1.
            // (Padding at the top/left instead would make out[0][0] = 2 * x[0][0] + b = 2.25.)
            double[] out = conv(TinyModels.conv("conv", 1, 2, 1, Padding.SAME, Activation.LINEAR), List.of(3, 3, 1),
                    IMAGE_3X3, KERNEL_2X2, new long[] {2, 2, 1, 1}, BIAS);

            assertThat(out).containsExactly(
                    4.25, 7.25, -2.75,
                    0.75, 3.75, 2.25,
                    2.75, 1.75, 1.25);
        }

        @Test
        @DisplayName("stride 2 (VALID) takes every second window")
        void stride2Valid() {
            // 4x4 image x = 1..16; 2x2 kernel of ones: sums of the non-overlapping 2x2 blocks.
            double[] image = java.util.stream.IntStream.rangeClosed(1, 16).asDoubleStream().toArray();
            double[] out = conv(TinyModels.conv("conv", 1, 2, 2, Padding.VALID, Activation.LINEAR), List.of(4, 4, 1),
                    image, new double[] {1, 1, 1, 1}, new long[] {2, 2, 1, 1}, 0);

            assertThat(out).containsExactly(1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16);
        }

        @Test
        @DisplayName("stride 2 SAME with a 3x3 kernel on 4x4: out 2x2, windows start at 0 and 2, one padded row/column after")
        void stride2Same() {
            // Total padding (2 - 1) * 2 + 3 - 4 = 1, after: windows cover rows {0,1,2} and {2,3,pad}.
            double[] image = java.util.stream.IntStream.rangeClosed(1, 16).asDoubleStream().toArray();
            double[] ones = new double[9];
            java.util.Arrays.fill(ones, 1);

            double[] out = conv(TinyModels.conv("conv", 1, 3, 2, Padding.SAME, Activation.LINEAR), List.of(4, 4, 1),
                    image, ones, new long[] {3, 3, 1, 1}, 0);

            assertThat(out).containsExactly(
                    (1 + 2 + 3) + (5 + 6 + 7) + (9 + 10 + 11), (3 + 4) + (7 + 8) + (11 + 12),
                    (9 + 10 + 11) + (13 + 14 + 15), (11 + 12) + (15 + 16));
        }

        @Test
        @DisplayName("the kernel is [KH, KW, C, F]: a bias-free 1x1 conv is x[c] K[0][0][c][f] summed over c")
        void kernelLayout() {
            // One pixel with channels [1, 2]; K[0][0] = [[1, 10, 100], [2, 20, 200]] (rows c, columns f).
            double[] out = conv(new Conv2DSpec("conv", 3, new org.paritysuite.fixtures.spec.Window2D(1, 1, 1, 1,
                            Padding.VALID), Activation.LINEAR, false, 0), List.of(1, 1, 2),
                    new double[] {1, 2}, new double[] {1, 10, 100, 2, 20, 200}, new long[] {1, 1, 2, 3}, 0);

            assertThat(out).containsExactly(5, 50, 500);
        }

        @Test
        @DisplayName("the fused activation is applied after the bias")
        void fusedActivation() {
            double[] out = conv(TinyModels.conv("conv", 1, 2, 1, Padding.VALID, Activation.RELU), List.of(3, 3, 1),
                    IMAGE_3X3, KERNEL_2X2, new long[] {2, 2, 1, 1}, -4);

            // VALID sums 4, 7, 0.5, 3.5 with bias -4.
            assertThat(out).containsExactly(0, 3, 0, 0);
        }
    }

    @Nested
    @DisplayName("pooling")
    class Pooling {

        /** x = 1..9 in a 3x3 image. */
        final double[] oneToNine = java.util.stream.IntStream.rangeClosed(1, 9).asDoubleStream().toArray();

        @Test
        @DisplayName("average pooling under SAME divides by the number of real pixels in each window")
        void averageSameDividesByRealPixels() {
            // 2x2 windows, stride 2, one padded row/column after: windows of 4, 2, 2 and 1 real pixels.
            double[] out = pool(TinyModels.pool("pool", Pool2DSpec.Kind.AVERAGE, 2, 2, Padding.SAME), List.of(3, 3, 1),
                    oneToNine);

            assertThat(out).containsExactly((1 + 2 + 4 + 5) / 4.0, (3 + 6) / 2.0, (7 + 8) / 2.0, 9);
        }

        @Test
        @DisplayName("max pooling under SAME never picks a padded pixel (padding acts as -infinity)")
        void maxSameIgnoresPadding() {
            double[] negative = java.util.Arrays.stream(oneToNine).map(v -> -v).toArray();

            double[] out = pool(TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 2, Padding.SAME), List.of(3, 3, 1),
                    negative);

            assertThat(out).containsExactly(-1, -3, -7, -9);
        }

        @Test
        @DisplayName("max pooling with stride 1 (VALID) takes the maximum of every overlapping window")
        void maxOverlapping() {
            double[] out = pool(TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 1, Padding.VALID), List.of(3, 3, 1),
                    IMAGE_3X3);

            assertThat(out).containsExactly(2, 3, 2, 3);
        }

        @Test
        @DisplayName("pooling is per channel")
        void perChannel() {
            // A 2x2 image with two channels: channel 0 = [1, 2, 3, 4], channel 1 = [-1, -2, -3, -4] (NHWC).
            double[] out = pool(TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 2, Padding.VALID), List.of(2, 2, 2),
                    new double[] {1, -1, 2, -2, 3, -3, 4, -4});

            assertThat(out).containsExactly(4, -1);
        }

        @Test
        @DisplayName("global average pooling is the mean of each channel over the whole image, [H, W, C] -> [C]")
        void globalAverage() {
            // A 2x2 image with two channels (NHWC): channel 0 = [1, 2, 3, 4], channel 1 = [10, 20, 30, 50].
            double[] out = activation(new GlobalAveragePooling2DSpec("gap"), List.of(2, 2, 2),
                    new double[] {1, 10, 2, 20, 3, 30, 4, 50}, WeightSet.of(new java.util.LinkedHashMap<>()));

            assertThat(out).containsExactly(2.5, 27.5);
        }
    }

    @Nested
    @DisplayName("max-pool gradient among tied maxima (what TensorFlow does; the reference matches it)")
    class MaxPoolTies {

        /** d sum(maxPool(x)) / dx for one image {@code [1, H, W, 1]}: each window sends 1 to its winner. */
        private <T extends TFloating> double[] gradientOfSum(Class<T> type, Pool2DSpec pool, long[] xShape, double[] x) {
            try (Graph graph = new Graph(); Session session = new Session(graph, TfModel.sessionConfig())) {
                Ops tf = Ops.create(graph);
                Placeholder<T> input = tf.placeholder(type, Placeholder.shape(Shape.of(xShape)));
                LayerOutput<T> out = Pool2DLayerGraph.build(tf, pool, input);
                // With no initial gradient, TensorFlow differentiates the sum of the output's elements.
                Gradients dx = tf.gradients(out.activation(), List.of(input));
                try (T fed = TensorConverter.toTensor("x", TinyModels.array(xShape, x), xShape, type);
                     Result result = session.runner().feed(input, fed).fetch(dx.dy(0)).run()) {
                    return flat(TensorConverter.toIndArray("dx", result.get(0), xShape));
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Precision.class)
        @DisplayName("on a constant image each window's gradient goes to its top-left pixel")
        void constantImageTopLeft(Precision precision) {
            double[] constant = new double[16];
            java.util.Arrays.fill(constant, 0.5);

            double[] dx = gradientOfSum(TensorConverter.tensorType(precision),
                    TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 2, Padding.VALID), new long[] {1, 4, 4, 1}, constant);

            assertThat(dx).containsExactly(
                    1, 0, 1, 0,
                    0, 0, 0, 0,
                    1, 0, 1, 0,
                    0, 0, 0, 0);
        }

        @Test
        @DisplayName("with overlapping windows (stride 1) each window still picks its own top-left pixel")
        void overlappingWindowsTopLeft() {
            double[] constant = new double[9];
            java.util.Arrays.fill(constant, 1);

            double[] dx = gradientOfSum(TensorConverter.tensorType(Precision.FLOAT64),
                    TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 1, Padding.VALID), new long[] {1, 3, 3, 1}, constant);

            assertThat(dx).containsExactly(
                    1, 1, 0,
                    1, 1, 0,
                    0, 0, 0);
        }

        @Test
        @DisplayName("a tie between the top-right and bottom-left of a window goes to the top-right (row-major first)")
        void rowMajorFirst() {
            double[] x = {
                    0, 1,
                    1, 0};

            double[] dx = gradientOfSum(TensorConverter.tensorType(Precision.FLOAT64),
                    TinyModels.pool("pool", Pool2DSpec.Kind.MAX, 2, 2, Padding.VALID), new long[] {1, 2, 2, 1}, x);

            assertThat(dx).containsExactly(0, 1, 0, 0);
        }
    }

    @Nested
    @DisplayName("flatten")
    class Flatten {

        @Test
        @DisplayName("flattens NHWC: element (h, w, c) of [H, W, C] goes to index (h W + w) C + c")
        void nhwcOrder() {
            // x[h][w][c] = 100 h + 10 w + c on a [2, 2, 3] image.
            double[] image = new double[12];
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    for (int c = 0; c < 3; c++) {
                        image[(h * 2 + w) * 3 + c] = 100 * h + 10 * w + c;
                    }
                }
            }
            ModelSpec spec = TinyModels.spec("flatten", List.of(2, 2, 3), LossSpec.MEAN_SQUARED_ERROR,
                    new FlattenSpec("flatten"), TinyModels.dense("out", 1, Activation.LINEAR));
            WeightSet weights = TinyModels.weights("out/kernel", Nd4j.zeros(DataType.DOUBLE, 12, 1),
                    "out/bias", Nd4j.zeros(DataType.DOUBLE, 1));

            try (TfModel model = TfModel.build(spec, weights, Precision.FLOAT64)) {
                Trace trace = model.forwardBackward(TinyModels.batch(image, new long[] {1, 2, 2, 3}, 1, "x = 100h + 10w + c"));

                assertThat(flat(trace.find("activation/flatten").orElseThrow().value()))
                        .containsExactly(0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112);
            }
        }
    }
}
