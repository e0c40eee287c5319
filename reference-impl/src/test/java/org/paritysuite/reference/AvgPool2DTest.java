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
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.spec.Padding;

@DisplayName("AvgPool2D: out = mean of the real pixels of each window")
class AvgPool2DTest {

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("2x2 windows, stride 2, valid: the mean of each block (divided by KH*KW)")
        void blocks() {
            INDArray out = AvgPool2D.of(2, 2, 2, 2, Padding.VALID).forward(sequence(1, 1, 4, 4));
            assertThat(out.reshape(2, 2).toDoubleMatrix()).as("means of the four 2x2 blocks of 1..16")
                    .isDeepEqualTo(new double[][] {{3.5, 5.5}, {11.5, 13.5}});
        }

        @Test
        @DisplayName("same padding divides by the real pixels only: an image of ones pools to ones, border too")
        void sameDividesByRealPixels() {
            INDArray ones = Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3).add(1.0);
            INDArray out = AvgPool2D.of(2, 2, 2, 2, Padding.SAME).forward(ones);
            assertThat(out.reshape(2, 2).toDoubleMatrix())
                    .as("TensorFlow's rule (dividing by 4 would give 0.5 and 0.25 along the bottom/right border)")
                    .isDeepEqualTo(new double[][] {{1, 1}, {1, 1}});
        }

        @Test
        @DisplayName("same padding on an odd 3x3 image: the border windows average 2, 2 and 1 pixels")
        void sameBorderWindows() {
            INDArray out = AvgPool2D.of(2, 2, 2, 2, Padding.SAME).forward(sequence(1, 1, 3, 3));
            // windows: {1,2,4,5} -> 3; {3,6} -> 4.5; {7,8} -> 7.5; {9} -> 9
            assertThat(out.reshape(2, 2).toDoubleMatrix()).as("means over the real pixels of each window")
                    .isDeepEqualTo(new double[][] {{3, 4.5}, {7.5, 9}});
        }

        @Test
        @DisplayName("keeps the input's data type")
        void keepsType() {
            INDArray out = AvgPool2D.of(2, 2, 1, 1, Padding.SAME).forward(sequence(1, 1, 3, 3).castTo(DataType.FLOAT));
            assertThat(out.dataType()).as("output type").isEqualTo(DataType.FLOAT);
        }
    }

    @Nested
    @DisplayName("backward")
    class Backward {

        @Test
        @DisplayName("spreads each window's gradient evenly over its real pixels (same, odd 3x3)")
        void spreadsOverRealPixels() {
            AvgPool2D pool = AvgPool2D.of(2, 2, 2, 2, Padding.SAME);
            pool.forward(sequence(1, 1, 3, 3));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 4, 4, 4, 4));
            assertThat(dX.reshape(3, 3).toDoubleMatrix()).as("4/4 inside, 4/2 on the border, 4/1 in the corner")
                    .isDeepEqualTo(new double[][] {{1, 1, 2}, {1, 1, 2}, {2, 2, 4}});
        }

        @Test
        @DisplayName("overlapping windows (2x2, stride 1) accumulate")
        void overlappingAccumulate() {
            AvgPool2D pool = AvgPool2D.of(2, 2, 1, 1, Padding.VALID);
            pool.forward(sequence(1, 1, 3, 3));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 4, 4, 4, 4));
            assertThat(dX.reshape(3, 3).toDoubleMatrix()).as("1 per window covering the pixel")
                    .isDeepEqualTo(new double[][] {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}});
        }

        @Test
        @DisplayName("conserves the total gradient: sum(dX) == sum(dOut)")
        void conservesTotal() {
            AvgPool2D pool = AvgPool2D.of(3, 3, 2, 2, Padding.SAME);
            pool.forward(new TestArrays(5).uniform(-1, 1, 2, 2, 5, 5));
            INDArray dOut = new TestArrays(6).uniform(-1, 1, 2, 2, 3, 3);
            double total = pool.backward(dOut).sumNumber().doubleValue();
            assertThat(total).as("each window hands on exactly its dOut")
                    .isCloseTo(dOut.sumNumber().doubleValue(), Offset.offset(1e-12));
        }
    }

    @Test
    @DisplayName("a window larger than the image under valid padding: IllegalArgumentException naming the layer")
    void windowLargerThanImage() {
        assertThatThrownBy(() -> AvgPool2D.of(2, 4, 2, 2, Padding.VALID).forward(sequence(1, 1, 3, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AvgPool2D(2x4, stride 2x2, valid)")
                .hasMessageContaining("larger than the input 3x3");
    }

    record Case(String name, int n, int c, int h, int w, int ph, int pw, int sh, int sw, Padding padding) {

        AvgPool2D layer() {
            return AvgPool2D.of(ph, pw, sh, sw, padding);
        }

        INDArray x() {
            return new TestArrays(name.hashCode()).uniform(-1, 1, n, c, h, w);
        }

        INDArray dOut() {
            SlidingWindow.Geometry g = new SlidingWindow(name, ph, pw, sh, sw, padding).over(h, w);
            return new TestArrays(name.hashCode() + 1).uniform(-1, 1, n, c, g.outH(), g.outW());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> gradientCheckCases() {
        return Stream.of(
                new Case("2x2, stride 2, valid (padding 0)", 2, 2, 4, 6, 2, 2, 2, 2, Padding.VALID),
                new Case("2x2, stride 1, same, odd 5x5: overlaps and border", 1, 2, 5, 5, 2, 2, 1, 1, Padding.SAME),
                new Case("3x3, stride 2, same, odd 5x7", 2, 2, 5, 7, 3, 3, 2, 2, Padding.SAME));
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.AvgPool2DTest#gradientCheckCases")
        @DisplayName("dX matches the numerical gradient")
        void dX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.layer().forward(v),
                    d -> { AvgPool2D pool = c.layer(); pool.forward(c.x()); return pool.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("AvgPool2D " + c + " dX").elementwise(f, c.dOut())).passes();
        }
    }
}
