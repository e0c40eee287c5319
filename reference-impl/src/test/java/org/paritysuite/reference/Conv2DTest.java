package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestImages.assertClose;
import static org.paritysuite.reference.TestImages.image;
import static org.paritysuite.reference.TestImages.sequence;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.Stencil;
import org.paritysuite.fixtures.spec.Padding;

@DisplayName("Conv2D: out = conv(x, W) + b, NCHW, kernel [F, C, KH, KW]")
class Conv2DTest {

    /**
     * One convolution geometry with seeded float64 arrays.
     *
     * @param name what makes the case interesting, shown as the test name
     */
    record Case(String name, int n, int c, int h, int w, int f, int kh, int kw, int sh, int sw, Padding padding,
                boolean bias) {

        INDArray x() {
            return new TestArrays(seed()).uniform(-1, 1, n, c, h, w);
        }

        INDArray kernel() {
            return new TestArrays(seed() + 1).uniform(-1, 1, f, c, kh, kw);
        }

        INDArray b() {
            return bias ? new TestArrays(seed() + 2).uniform(-1, 1, f) : null;
        }

        INDArray dOut() {
            SlidingWindow.Geometry g = new SlidingWindow(name, kh, kw, sh, sw, padding).over(h, w);
            return new TestArrays(seed() + 3).uniform(-1, 1, n, f, g.outH(), g.outW());
        }

        Conv2D fast(INDArray kernel, INDArray bias) {
            return bias == null ? Conv2D.withoutBias(kernel, sh, sw, padding) : Conv2D.withBias(kernel, bias, sh, sw, padding);
        }

        Conv2DNaive naive() {
            return bias ? Conv2DNaive.withBias(kernel(), b(), sh, sw, padding) : Conv2DNaive.withoutBias(kernel(), sh, sw, padding);
        }

        private long seed() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> geometries() {
        return Stream.of(
                new Case("1x1 kernel, stride 1, valid, C=2, F=3", 2, 2, 4, 5, 3, 1, 1, 1, 1, Padding.VALID, true),
                new Case("1x1 kernel, stride 2, same, odd 5x5", 1, 2, 5, 5, 2, 1, 1, 2, 2, Padding.SAME, true),
                new Case("2x2 kernel, stride 1, same: asymmetric padding (bottom/right)", 2, 3, 5, 4, 2, 2, 2, 1, 1,
                        Padding.SAME, true),
                new Case("2x2 kernel, stride 2, same, odd 5x7", 2, 2, 5, 7, 3, 2, 2, 2, 2, Padding.SAME, true),
                new Case("2x2 kernel, stride 2, valid, padding 0", 1, 2, 6, 5, 2, 2, 2, 2, 2, Padding.VALID, true),
                new Case("3x3 kernel, stride 1, same, non-square 5x6", 2, 2, 5, 6, 3, 3, 3, 1, 1, Padding.SAME, true),
                new Case("3x3 kernel, stride 2, valid, 7x6", 2, 3, 7, 6, 2, 3, 3, 2, 2, Padding.VALID, true),
                new Case("3x3 kernel, stride 2, same, 6x7", 1, 2, 6, 7, 4, 3, 3, 2, 2, Padding.SAME, true),
                new Case("3x2 kernel, strides 2x1, same", 2, 2, 5, 6, 2, 3, 2, 2, 1, Padding.SAME, true),
                new Case("kernel as large as the image, valid: 1x1 output", 2, 2, 3, 3, 2, 3, 3, 1, 1, Padding.VALID, true),
                new Case("kernel larger than the image, same", 1, 2, 2, 2, 2, 3, 3, 1, 1, Padding.SAME, true),
                new Case("no bias, 3x3, stride 1, valid", 2, 2, 5, 5, 3, 3, 3, 1, 1, Padding.VALID, false));
    }

    /** float64 im2col + GEMM against the seven loops: both sum the same terms in another order. */
    private static final double FAST_VS_NAIVE_RTOL = 1e-12;

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("a 2x2 kernel of ones with same padding sums each pixel's 2x2 block, padding bottom/right")
        void asymmetricSamePadding() {
            INDArray x = sequence(1, 1, 3, 3);                   // 1 2 3 / 4 5 6 / 7 8 9
            INDArray ones = image(new long[] {1, 1, 2, 2}, 1, 1, 1, 1);
            INDArray out = Conv2D.withoutBias(ones, 1, 1, Padding.SAME).forward(x);
            assertThat(out.reshape(3, 3).toDoubleMatrix())
                    .as("sums of x[i..i+1, j..j+1] with zeros below and right (top/left padding would give 1 first)")
                    .isDeepEqualTo(new double[][] {{12, 16, 9}, {24, 28, 15}, {15, 17, 9}});
        }

        @Test
        @DisplayName("adds the bias of each filter to every one of its output pixels")
        void bias() {
            INDArray x = sequence(1, 1, 2, 2);
            INDArray kernel = image(new long[] {2, 1, 1, 1}, 1, -1);
            INDArray out = Conv2D.withBias(kernel, image(new long[] {2}, 10, 20), 1, 1, Padding.VALID).forward(x);
            assertThat(out.reshape(2, 4).toDoubleMatrix())
                    .as("filter 0: x + 10, filter 1: -x + 20")
                    .isDeepEqualTo(new double[][] {{11, 12, 13, 14}, {19, 18, 17, 16}});
        }

        @Test
        @DisplayName("strides 2 pick every other window")
        void stride() {
            INDArray x = sequence(1, 1, 4, 4);
            INDArray one = image(new long[] {1, 1, 1, 1}, 1);
            INDArray out = Conv2D.withoutBias(one, 2, 2, Padding.VALID).forward(x);
            assertThat(out.reshape(2, 2).toDoubleMatrix()).as("x[0::2, 0::2]")
                    .isDeepEqualTo(new double[][] {{1, 3}, {9, 11}});
        }

        @Test
        @DisplayName("leaves its input and parameters unchanged")
        void inputsUnchanged() {
            Case c = geometries().findFirst().orElseThrow();
            INDArray x = c.x();
            INDArray kernel = c.kernel();
            INDArray b = c.b();
            Conv2D conv = c.fast(kernel, b);
            conv.forward(x);
            conv.backward(c.dOut());
            assertThat(x).as("x").isEqualTo(c.x());
            assertThat(kernel).as("W").isEqualTo(c.kernel());
            assertThat(b).as("b").isEqualTo(c.b());
        }
    }

    @Nested
    @DisplayName("im2col + GEMM equals the naive loops (float64)")
    class FastEqualsNaive {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#geometries")
        @DisplayName("out")
        void out(Case c) {
            assertClose(c + ": out", c.fast(c.kernel(), c.b()).forward(c.x()), c.naive().forward(c.x()),
                    FAST_VS_NAIVE_RTOL);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#geometries")
        @DisplayName("dX")
        void dX(Case c) {
            Conv2D fast = c.fast(c.kernel(), c.b());
            Conv2DNaive naive = c.naive();
            fast.forward(c.x());
            naive.forward(c.x());
            assertClose(c + ": dX", fast.backward(c.dOut()), naive.backward(c.dOut()), FAST_VS_NAIVE_RTOL);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#geometries")
        @DisplayName("dW")
        void dW(Case c) {
            Conv2D fast = c.fast(c.kernel(), c.b());
            Conv2DNaive naive = c.naive();
            fast.forward(c.x());
            naive.forward(c.x());
            fast.backward(c.dOut());
            naive.backward(c.dOut());
            assertClose(c + ": dW", fast.dW(), naive.dW(), FAST_VS_NAIVE_RTOL);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#geometries")
        @DisplayName("dB")
        void dB(Case c) {
            Conv2D fast = c.fast(c.kernel(), c.b());
            Conv2DNaive naive = c.naive();
            fast.forward(c.x());
            naive.forward(c.x());
            fast.backward(c.dOut());
            naive.backward(c.dOut());
            if (c.bias()) {
                assertClose(c + ": dB", fast.dB(), naive.dB(), FAST_VS_NAIVE_RTOL);
            } else {
                assertThatThrownBy(fast::dB).as("a layer without bias has no dB")
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no bias");
            }
        }
    }

    @Nested
    @DisplayName("float32")
    class Float32 {

        @Test
        @DisplayName("computes in float32: 1 + 2^-24 rounds to 1, in the GEMM and in the loops")
        void roundsLikeFloat32() {
            // C=2, 1x1 kernel of ones: out = x[c=0] + x[c=1] = 1 + 2^-24, exactly 1 in float32 (round to even)
            INDArray x = image(new long[] {1, 2, 1, 1}, 1, Math.scalb(1.0, -24)).castTo(DataType.FLOAT);
            INDArray ones = image(new long[] {1, 2, 1, 1}, 1, 1).castTo(DataType.FLOAT);
            INDArray fast = Conv2D.withoutBias(ones, 1, 1, Padding.VALID).forward(x);
            INDArray naive = Conv2DNaive.withoutBias(ones, 1, 1, Padding.VALID).forward(x);
            assertThat(fast.dataType()).as("fast output type").isEqualTo(DataType.FLOAT);
            assertThat(fast.getDouble(0)).as("fast: float32 1 + 2^-24").isEqualTo(1.0);
            assertThat(naive.getDouble(0)).as("naive: float32 1 + 2^-24").isEqualTo(1.0);
        }

        @Test
        @DisplayName("fast and naive agree to float32 rounding")
        void fastEqualsNaive() {
            Case c = geometries().skip(7).findFirst().orElseThrow();
            INDArray x = c.x().castTo(DataType.FLOAT);
            INDArray kernel = c.kernel().castTo(DataType.FLOAT);
            INDArray b = c.b().castTo(DataType.FLOAT);
            INDArray fast = Conv2D.withBias(kernel, b, c.sh(), c.sw(), c.padding()).forward(x);
            INDArray naive = Conv2DNaive.withBias(kernel, b, c.sh(), c.sw(), c.padding()).forward(x);
            assertClose(c + ": float32 out", fast, naive, 1e-6);
        }
    }

    @Nested
    @DisplayName("argument checks")
    class Checks {

        private final INDArray kernel = new TestArrays(3).uniform(-1, 1, 2, 3, 3, 3);

        @Test
        @DisplayName("a kernel larger than the image under valid padding: IllegalArgumentException naming the layer")
        void kernelLargerThanImage() {
            INDArray x = new TestArrays(4).uniform(-1, 1, 1, 3, 2, 5);
            assertThatThrownBy(() -> Conv2D.withoutBias(kernel, 1, 1, Padding.VALID).forward(x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Conv2D(F=2, C=3, 3x3")
                    .hasMessageContaining("larger than the input 2x5");
        }

        @Test
        @DisplayName("the naive layer rejects it the same way")
        void naiveKernelLargerThanImage() {
            INDArray x = new TestArrays(4).uniform(-1, 1, 1, 3, 2, 5);
            assertThatThrownBy(() -> Conv2DNaive.withoutBias(kernel, 1, 1, Padding.VALID).forward(x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Conv2DNaive(F=2, C=3, 3x3")
                    .hasMessageContaining("larger than the input 2x5");
        }

        @Test
        @DisplayName("an input with the wrong number of channels, naming expected and found")
        void wrongChannels() {
            INDArray x = new TestArrays(4).uniform(-1, 1, 1, 2, 5, 5);
            assertThatThrownBy(() -> Conv2D.withoutBias(kernel, 1, 1, Padding.SAME).forward(x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[N, 3, ?, ?]")
                    .hasMessageContaining("[1, 2, 5, 5]");
        }

        @Test
        @DisplayName("a bias whose length is not F")
        void wrongBias() {
            assertThatThrownBy(() -> Conv2D.withBias(kernel, image(new long[] {3}, 1, 2, 3), 1, 1, Padding.SAME))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2]")
                    .hasMessageContaining("[3]");
        }

        @Test
        @DisplayName("a kernel that is not rank 4")
        void wrongKernelRank() {
            assertThatThrownBy(() -> Conv2D.withoutBias(new TestArrays(5).uniform(-1, 1, 3, 3), 1, 1, Padding.SAME))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[F, C, KH, KW]");
        }

        @Test
        @DisplayName("backward before forward")
        void backwardFirst() {
            assertThatThrownBy(() -> Conv2D.withoutBias(kernel, 1, 1, Padding.SAME).backward(kernel))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("backward called before forward");
        }
    }

    static Stream<Case> gradientCheckCases() {
        return Stream.of(
                new Case("3x3, stride 1, same, C=2, F=3", 2, 2, 4, 5, 3, 3, 3, 1, 1, Padding.SAME, true),
                new Case("2x2, stride 2, same, odd 5x5 (asymmetric padding)", 2, 2, 5, 5, 3, 2, 2, 2, 2, Padding.SAME, true),
                new Case("3x2, strides 2x1, valid", 2, 3, 5, 4, 2, 3, 2, 2, 1, Padding.VALID, true));
    }

    /** The fast layer's forward at the case's x, then its backward of {@code dOut}. */
    private static Conv2D trained(Case c, INDArray dOut) {
        Conv2D conv = c.fast(c.kernel(), c.b());
        conv.forward(c.x());
        conv.backward(dOut);
        return conv;
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#gradientCheckCases")
        @DisplayName("dX matches the numerical gradient")
        void dX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.fast(c.kernel(), c.b()).forward(v),
                    d -> { Conv2D conv = c.fast(c.kernel(), c.b()); conv.forward(c.x()); return conv.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2D " + c + " dX").elementwise(f, c.dOut())).passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#gradientCheckCases")
        @DisplayName("dW matches the numerical gradient")
        void dW(Case c) {
            CheckedFunction f = ArrayFunction.of(c.kernel(), v -> c.fast(v, c.b()).forward(c.x()), d -> trained(c, d).dW());
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2D " + c + " dW").elementwise(f, c.dOut())).passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#gradientCheckCases")
        @DisplayName("dB matches the numerical gradient")
        void dB(Case c) {
            CheckedFunction f = ArrayFunction.of(c.b(), v -> c.fast(c.kernel(), v).forward(c.x()), d -> trained(c, d).dB());
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2D " + c + " dB").elementwise(f, c.dOut())).passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#gradientCheckCases")
        @DisplayName("the naive layer's dX matches the numerical gradient too")
        void naiveDX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.naive().forward(v),
                    d -> { Conv2DNaive conv = c.naive(); conv.forward(c.x()); return conv.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2DNaive " + c + " dX").elementwise(f, c.dOut())).passes();
        }
    }

    static Stream<Case> projectionCases() {
        return Stream.of(
                new Case("3x3, stride 1, same, 12x12, C=8, F=16", 2, 8, 12, 12, 16, 3, 3, 1, 1, Padding.SAME, true),
                new Case("5x5, stride 2, valid, 15x13, C=4, F=8", 2, 4, 15, 13, 8, 5, 5, 2, 2, Padding.VALID, true));
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("random projections v . J u (float64, 8 seeded directions)")
    class Projections {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#projectionCases")
        @DisplayName("dX of a larger convolution")
        void dX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.fast(c.kernel(), c.b()).forward(v),
                    d -> { Conv2D conv = c.fast(c.kernel(), c.b()); conv.forward(c.x()); return conv.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2D " + c + " dX")
                    .stencil(Stencil.WIDE).projections(f, 8, 1)).passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.Conv2DTest#projectionCases")
        @DisplayName("dW of a larger convolution")
        void dW(Case c) {
            CheckedFunction f = ArrayFunction.of(c.kernel(), v -> c.fast(v, c.b()).forward(c.x()),
                    d -> trained(c, d).dW());
            GradientCheckAssert.assertThat(GradientCheck.named("Conv2D " + c + " dW")
                    .stencil(Stencil.WIDE).projections(f, 8, 2)).passes();
        }
    }
}
