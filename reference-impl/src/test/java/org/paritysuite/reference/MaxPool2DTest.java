package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestImages.distinct;
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
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.Piece;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.Window2D;

@DisplayName("MaxPool2D: out = max over each window, the gradient to one winner")
class MaxPool2DTest {

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("2x2 windows, stride 2, valid: the maximum of each block")
        void blocks() {
            INDArray out = MaxPool2D.of(2, 2, 2, 2, Padding.VALID).forward(sequence(1, 1, 4, 4));
            assertThat(out.reshape(2, 2).toDoubleMatrix()).as("maxima of the four 2x2 blocks of 1..16")
                    .isDeepEqualTo(new double[][] {{6, 8}, {14, 16}});
        }

        @Test
        @DisplayName("pools each channel of each image separately")
        void perChannel() {
            INDArray x = image(new long[] {1, 2, 2, 2}, 1, 2, 3, 4, -1, -2, -3, -4);
            INDArray out = MaxPool2D.of(2, 2, 2, 2, Padding.VALID).forward(x);
            assertThat(Precision.values(out)).as("channel 0 max 4, channel 1 max -1").containsExactly(4, -1);
        }

        @Test
        @DisplayName("same padding, odd 5x5, 2x2 stride 2: padding never wins, even over negative pixels")
        void paddingNeverWins() {
            INDArray x = sequence(1, 1, 5, 5).neg();                 // -1 .. -25, all below the padding's 0
            INDArray out = MaxPool2D.of(2, 2, 2, 2, Padding.SAME).forward(x);
            assertThat(out.reshape(3, 3).toDoubleMatrix())
                    .as("3x3 output; the last row and column see one real row/column (padding bottom/right)")
                    .isDeepEqualTo(new double[][] {{-1, -3, -5}, {-11, -13, -15}, {-21, -23, -25}});
        }

        @Test
        @DisplayName("keeps the input's data type")
        void keepsType() {
            INDArray out = MaxPool2D.of(2, 2, 1, 1, Padding.VALID).forward(sequence(1, 1, 3, 3).castTo(DataType.FLOAT));
            assertThat(out.dataType()).as("output type").isEqualTo(DataType.FLOAT);
        }

        @Test
        @DisplayName("a spec window gives the same layer")
        void fromSpec() {
            MaxPool2D pool = MaxPool2D.of(new Window2D(3, 2, 1, 2, Padding.SAME));
            assertThat(pool).hasToString("MaxPool2D(3x2, stride 1x2, same)");
        }
    }

    @Nested
    @DisplayName("backward: ties and overlaps")
    class Backward {

        @Test
        @DisplayName("a constant image (all ties) sends each window's gradient to its top-left element")
        void constantImageTopLeft() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 2, 2, Padding.VALID);
            pool.forward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 4).add(7.0));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 1, 2, 3, 4));
            assertThat(dX.reshape(4, 4).toDoubleMatrix())
                    .as("each window's dOut at its top-left element, as TensorFlow's CPU MaxPoolGrad does")
                    .isDeepEqualTo(new double[][] {{1, 0, 2, 0}, {0, 0, 0, 0}, {3, 0, 4, 0}, {0, 0, 0, 0}});
        }

        @Test
        @DisplayName("a tie between the top-right and bottom-left element goes to the top-right (first in row-major order)")
        void firstInRowMajorOrder() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 2, 2, Padding.VALID);
            pool.forward(image(new long[] {1, 1, 2, 2}, 1, 3, 3, 2));
            INDArray dX = pool.backward(image(new long[] {1, 1, 1, 1}, 5));
            assertThat(Precision.values(dX)).as("[[1, 3], [3, 2]]: the first 3 in row-major order wins")
                    .containsExactly(0, 5, 0, 0);
        }

        @Test
        @DisplayName("a constant image with overlapping windows (2x2, stride 1): each window's own top-left element")
        void constantImageOverlapping() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 1, 1, Padding.VALID);
            pool.forward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 1, 2, 3, 4));
            assertThat(dX.reshape(3, 3).toDoubleMatrix()).as("window (i, j) has top-left element (i, j)")
                    .isDeepEqualTo(new double[][] {{1, 2, 0}, {3, 4, 0}, {0, 0, 0}});
        }

        @Test
        @DisplayName("overlapping windows (2x2, stride 1) accumulate at an element that wins several of them")
        void overlappingAccumulate() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 1, 1, Padding.VALID);
            pool.forward(image(new long[] {1, 1, 3, 3}, 0, 0, 0, 0, 9, 0, 0, 0, 0));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 1, 2, 3, 4));
            assertThat(dX.reshape(3, 3).toDoubleMatrix()).as("the centre wins all four windows: 1 + 2 + 3 + 4")
                    .isDeepEqualTo(new double[][] {{0, 0, 0}, {0, 10, 0}, {0, 0, 0}});
        }

        @Test
        @DisplayName("same padding on a constant negative image: the border windows' gradient goes to a real pixel")
        void samePaddingConstant() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 2, 2, Padding.SAME);
            pool.forward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3).sub(1.0));
            INDArray dX = pool.backward(image(new long[] {1, 1, 2, 2}, 1, 2, 3, 4));
            assertThat(dX.reshape(3, 3).toDoubleMatrix()).as("each window's top-left real pixel")
                    .isDeepEqualTo(new double[][] {{1, 0, 2}, {0, 0, 0}, {3, 0, 4}});
        }
    }

    @Nested
    @DisplayName("argument checks")
    class Checks {

        @Test
        @DisplayName("a window larger than the image under valid padding: IllegalArgumentException naming the layer")
        void windowLargerThanImage() {
            assertThatThrownBy(() -> MaxPool2D.of(3, 3, 1, 1, Padding.VALID).forward(sequence(1, 1, 2, 2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MaxPool2D(3x3, stride 1x1, valid)")
                    .hasMessageContaining("larger than the input 2x2");
        }

        @Test
        @DisplayName("an input that is not an image [N, C, H, W]")
        void notAnImage() {
            assertThatThrownBy(() -> MaxPool2D.of(2, 2, 2, 2, Padding.VALID).forward(sequence(4, 4)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[4, 4]");
        }

        @Test
        @DisplayName("a dOut of the wrong shape, naming expected and found")
        void wrongGradientShape() {
            MaxPool2D pool = MaxPool2D.of(2, 2, 2, 2, Padding.VALID);
            pool.forward(sequence(1, 1, 4, 4));
            assertThatThrownBy(() -> pool.backward(sequence(1, 1, 3, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[1, 1, 2, 2]")
                    .hasMessageContaining("[1, 1, 3, 3]");
        }
    }

    /** A pooling geometry; the input has no ties, so the winners are stable under a 1e-5 step. */
    record Case(String name, int n, int c, int h, int w, int ph, int pw, int sh, int sw, Padding padding) {

        MaxPool2D layer() {
            return MaxPool2D.of(ph, pw, sh, sw, padding);
        }

        Window2D window() {
            return new Window2D(ph, pw, sh, sw, padding);
        }

        INDArray x() {
            return distinct(name.hashCode(), n, c, h, w);
        }

        INDArray dOut() {
            SlidingWindow.Geometry g = new SlidingWindow(name, ph, pw, sh, sw, padding).over(h, w);
            return new TestArrays(name.hashCode()).uniform(-1, 1, n, c, g.outH(), g.outW());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> gradientCheckCases() {
        return Stream.of(
                new Case("2x2, stride 2, valid (padding 0)", 2, 2, 4, 6, 2, 2, 2, 2, Padding.VALID),
                new Case("2x2, stride 1, valid: overlapping windows", 2, 2, 4, 5, 2, 2, 1, 1, Padding.VALID),
                new Case("2x2, stride 2, same, odd 5x7", 2, 2, 5, 7, 2, 2, 2, 2, Padding.SAME),
                new Case("3x3, stride 2, same, odd 5x5", 1, 3, 5, 5, 3, 3, 2, 2, Padding.SAME),
                new Case("3x2, strides 1x2, same", 1, 2, 4, 5, 3, 2, 1, 2, Padding.SAME));
    }

    /**
     * {@code x -> pool(x)} at {@code x0} with its backward pass; the pieces are the windows' winners
     * (computed on the NHWC view of the NCHW input).
     */
    private static ArrayFunction function(Window2D window, INDArray x0) {
        return ArrayFunction.of(x0, v -> MaxPool2D.of(window).forward(v),
                d -> { MaxPool2D pool = MaxPool2D.of(window); pool.forward(x0); return pool.backward(d); })
                .withKinks(v -> Piece.builder().winners(v.permute(0, 2, 3, 1), window).build());
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences, kink-aware)")
    class GradCheck {

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.MaxPool2DTest#gradientCheckCases")
        @DisplayName("dX matches the numerical gradient")
        void dX(Case c) {
            GradientCheckAssert.assertThat(GradientCheck.named("MaxPool2D " + c + " dX")
                    .elementwise(function(c.window(), c.x()), c.dOut())).passes().skippedAtKinks(0);
        }

        // One 2x2 window holds two equal maxima (5 at (0, 1) and (1, 0)); the other three have one clear winner.
        private final INDArray tied = image(new long[] {1, 1, 4, 4},
                1, 5, 0.5, 2,
                5, 3, -1, 0.25,
                0, -2, 4, 1.5,
                0.75, -3, 2.5, 6);
        private final INDArray tiedDOut = image(new long[] {1, 1, 2, 2}, 1, -2, 0.5, 3);
        private final Window2D window = new Window2D(2, 2, 2, 2, Padding.VALID);

        @Test
        @DisplayName("a tie: both tied elements are skipped at the kink, the other 14 pass")
        void tieSkipped() {
            GradientCheckAssert.assertThat(GradientCheck.named("MaxPool2D tie dX")
                    .elementwise(function(window, tied), tiedDOut)).passes().skippedAtKinks(2);
        }

        @Test
        @DisplayName("a tie without kink awareness: the check fails at the tied elements")
        void tieFailsWhenIgnored() {
            CheckedFunction unaware = ArrayFunction.of(tied, v -> MaxPool2D.of(window).forward(v),
                    d -> { MaxPool2D pool = MaxPool2D.of(window); pool.forward(tied); return pool.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("MaxPool2D tie dX, kinks ignored")
                    .elementwise(unaware, tiedDOut)).fails();
        }
    }
}
