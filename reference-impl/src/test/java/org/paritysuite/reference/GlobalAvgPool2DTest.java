package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestImages.image;
import static org.paritysuite.reference.TestImages.sequence;

import java.util.stream.Stream;
import org.assertj.core.data.Offset;
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
import org.paritysuite.fixtures.spec.Padding;

@DisplayName("GlobalAvgPool2D: out[n, c] = the mean of channel c over the whole image")
class GlobalAvgPool2DTest {

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("two channels of 2x3: the means of 1..6 and 7..12")
        void channelMeans() {
            INDArray out = new GlobalAvgPool2D().forward(sequence(1, 2, 2, 3));
            assertThat(out.shape()).as("[N, C]").containsExactly(1, 2);
            assertThat(out.toDoubleMatrix()).isDeepEqualTo(new double[][] {{3.5, 9.5}});
        }

        @Test
        @DisplayName("is the average pooling whose one window is the whole image")
        void oneWindowAvgPool() {
            INDArray x = new TestArrays(3).uniform(-1, 1, 2, 3, 4, 5);
            INDArray pooled = AvgPool2D.of(4, 5, 1, 1, Padding.VALID).forward(x).reshape(2, 3);
            TestImages.assertClose("GlobalAvgPool2D against AvgPool2D(4x5, valid)", new GlobalAvgPool2D().forward(x),
                    pooled, 1e-15);
        }

        @Test
        @DisplayName("keeps the input's data type")
        void keepsType() {
            INDArray out = new GlobalAvgPool2D().forward(sequence(2, 2, 3, 3).castTo(DataType.FLOAT));
            assertThat(out.dataType()).as("output type").isEqualTo(DataType.FLOAT);
        }
    }

    @Nested
    @DisplayName("backward")
    class Backward {

        @Test
        @DisplayName("spreads each channel's gradient evenly over its pixels: dOut / (H W)")
        void spreadsEvenly() {
            GlobalAvgPool2D pool = new GlobalAvgPool2D();
            pool.forward(sequence(1, 2, 2, 3));
            INDArray dX = pool.backward(image(new long[] {1, 2}, 6, -12));
            assertThat(dX.reshape(2, 6).toDoubleMatrix()).as("6 / 6 on channel 0, -12 / 6 on channel 1")
                    .isDeepEqualTo(new double[][] {{1, 1, 1, 1, 1, 1}, {-2, -2, -2, -2, -2, -2}});
        }

        @Test
        @DisplayName("conserves the total gradient of each channel")
        void conservesTotal() {
            GlobalAvgPool2D pool = new GlobalAvgPool2D();
            pool.forward(new TestArrays(5).uniform(-1, 1, 2, 3, 5, 4));
            INDArray dOut = new TestArrays(6).uniform(-1, 1, 2, 3);
            INDArray dX = pool.backward(dOut);
            assertThat(dX.sum(2, 3).sub(dOut).amaxNumber().doubleValue()).as("sum over H, W of dX minus dOut")
                    .isCloseTo(0, Offset.offset(1e-15));
        }
    }

    @Nested
    @DisplayName("bad input: IllegalArgumentException or IllegalStateException naming the layer")
    class BadInput {

        @Test
        @DisplayName("rows [N, D] instead of images")
        void rows() {
            assertThatThrownBy(() -> new GlobalAvgPool2D().forward(sequence(2, 6)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("GlobalAvgPool2D.forward: x must have shape [N, ?, ?, ?], found [2, 6]");
        }

        @Test
        @DisplayName("dOut of another shape than [N, C]")
        void dOutShape() {
            GlobalAvgPool2D pool = new GlobalAvgPool2D();
            pool.forward(sequence(1, 2, 2, 3));
            assertThatThrownBy(() -> pool.backward(sequence(1, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("GlobalAvgPool2D.backward: dOut must have shape [1, 2], found [1, 3]");
        }

        @Test
        @DisplayName("backward before forward")
        void backwardFirst() {
            assertThatThrownBy(() -> new GlobalAvgPool2D().backward(sequence(1, 2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("GlobalAvgPool2D: backward called before forward");
        }
    }

    record Case(String name, int n, int c, int h, int w) {

        INDArray x() {
            return new TestArrays(name.hashCode()).uniform(-1, 1, n, c, h, w);
        }

        INDArray dOut() {
            return new TestArrays(name.hashCode() + 1).uniform(-1, 1, n, c);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> gradientCheckCases() {
        return Stream.of(
                new Case("N=2, C=3, 4x5", 2, 3, 4, 5),
                new Case("one pixel: the identity", 2, 2, 1, 1),
                new Case("N=1, C=1, 7x3", 1, 1, 7, 3));
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.GlobalAvgPool2DTest#gradientCheckCases")
        @DisplayName("dX matches the numerical gradient")
        void dX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> new GlobalAvgPool2D().forward(v), d -> {
                GlobalAvgPool2D pool = new GlobalAvgPool2D();
                pool.forward(c.x());
                return pool.backward(d);
            });
            GradientCheckAssert.assertThat(GradientCheck.named("GlobalAvgPool2D " + c + " dX").elementwise(f, c.dOut()))
                    .passes();
        }
    }
}
