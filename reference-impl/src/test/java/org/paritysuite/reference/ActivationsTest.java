package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.paritysuite.reference.TestArrays.matrix;

import java.util.function.Supplier;
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
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.Stencil;
import org.paritysuite.fixtures.gradcheck.Piece;

@DisplayName("Activations")
class ActivationsTest {

    /** Every activation, by the name the tests show. */
    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of("Linear", (Supplier<Layer>) Linear::new),
                Arguments.of("Relu", (Supplier<Layer>) Relu::new),
                Arguments.of("LeakyRelu(alpha=0.2)", (Supplier<Layer>) () -> new LeakyRelu(0.2)),
                Arguments.of("LeakyRelu(alpha=0.01)", (Supplier<Layer>) () -> new LeakyRelu(0.01)),
                Arguments.of("Sigmoid", (Supplier<Layer>) Sigmoid::new),
                Arguments.of("Tanh", (Supplier<Layer>) Tanh::new),
                Arguments.of("Softmax", (Supplier<Layer>) Softmax::new));
    }

    /** The activations with a kink at 0. */
    static Stream<Arguments> kinked() {
        return Stream.of(
                Arguments.of("Relu", (Supplier<Layer>) Relu::new),
                Arguments.of("LeakyRelu(alpha=0.2)", (Supplier<Layer>) () -> new LeakyRelu(0.2)));
    }

    /** {@code x -> activation(x)} at {@code x}, with its backward pass; kinks named by the input's signs. */
    private static ArrayFunction function(Supplier<Layer> activation, INDArray x) {
        return ArrayFunction.of(x, v -> activation.get().forward(v),
                d -> { Layer layer = activation.get(); layer.forward(x); return layer.backward(d); })
                .withKinks(Piece::signsOf);
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        @ParameterizedTest(name = "{0}: dX matches the numerical gradient")
        @MethodSource("org.paritysuite.reference.ActivationsTest#activations")
        void dX(String name, Supplier<Layer> activation) {
            TestArrays random = new TestArrays(7);
            INDArray x = random.uniform(-2, 2, 4, 5);
            INDArray dOut = random.uniform(-1, 1, 4, 5);
            // The signs of x are the pieces of ReLU and leaky ReLU; the smooth ones never cross them
            // here (no |x| within the reach 1.5e-4), so the check skips nothing for them.
            GradientCheckAssert.assertThat(GradientCheck.named(name + " dX").elementwise(function(activation, x), dOut))
                    .passes();
        }

        @ParameterizedTest(name = "{0}: inputs at and within reach of the kink are skipped, and counted")
        @MethodSource("org.paritysuite.reference.ActivationsTest#kinked")
        void kinkSkipped(String name, Supplier<Layer> activation) {
            GradientCheckAssert.assertThat(GradientCheck.named(name + " dX at the kink").elementwise(
                    function(activation, ON_THE_KINK), ON_THE_KINK_D_OUT)).passes().skippedAtKinks(2);
        }

        @ParameterizedTest(name = "{0}: without kink awareness the same check fails")
        @MethodSource("org.paritysuite.reference.ActivationsTest#kinked")
        void kinkFailsWhenIgnored(String name, Supplier<Layer> activation) {
            CheckedFunction unaware = ArrayFunction.of(ON_THE_KINK, v -> activation.get().forward(v),
                    d -> { Layer layer = activation.get(); layer.forward(ON_THE_KINK); return layer.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named(name + " dX at the kink, kinks ignored")
                    .elementwise(unaware, ON_THE_KINK_D_OUT)).fails();
        }

        @Test
        @DisplayName("Softmax: random projections v . J u over [16, 100] rows")
        void softmaxProjections() {
            INDArray x = new TestArrays(8).uniform(-3, 3, 16, 100);
            GradientCheckAssert.assertThat(GradientCheck.named("Softmax [16, 100] dX")
                    .stencil(Stencil.WIDE).projections(
                    function(Softmax::new, x), 8, 1)).passes();
        }
    }

    /** x = 0 exactly and x = 5e-5 (inside the reach 1.5e-4) among inputs far from 0. */
    private static final INDArray ON_THE_KINK = matrix(new double[][] {{0.7, 0, -0.4}, {5e-5, 1.3, -2}});
    private static final INDArray ON_THE_KINK_D_OUT = matrix(new double[][] {{1, 2, -1}, {3, 0.5, 1}});

    @Nested
    @DisplayName("every activation")
    class Contract {

        @ParameterizedTest(name = "{0}: output and dX have the input's shape and data type")
        @MethodSource("org.paritysuite.reference.ActivationsTest#activations")
        void shapesAndTypes(String name, Supplier<Layer> activation) {
            INDArray x = new TestArrays(3).uniform(-2, 2, 3, 4).castTo(DataType.FLOAT);
            Layer layer = activation.get();
            INDArray out = layer.forward(x);
            INDArray dX = layer.backward(out.mul(0.5));
            assertThat(out.shape()).as("%s output shape", name).containsExactly(3, 4);
            assertThat(dX.shape()).as("%s dX shape", name).containsExactly(3, 4);
            assertThat(out.dataType()).as("%s output data type for a float32 input", name).isEqualTo(DataType.FLOAT);
            assertThat(dX.dataType()).as("%s dX data type for a float32 input", name).isEqualTo(DataType.FLOAT);
        }

        @ParameterizedTest(name = "{0}: forward and backward leave their arguments unchanged")
        @MethodSource("org.paritysuite.reference.ActivationsTest#activations")
        void argumentsUnchanged(String name, Supplier<Layer> activation) {
            TestArrays random = new TestArrays(4);
            INDArray x = random.uniform(-2, 2, 3, 4);
            INDArray dOut = random.uniform(-1, 1, 3, 4);
            INDArray xBefore = x.dup();
            INDArray dOutBefore = dOut.dup();
            Layer layer = activation.get();
            layer.forward(x);
            layer.backward(dOut);
            assertThat(x).as("%s: x after forward", name).isEqualTo(xBefore);
            assertThat(dOut).as("%s: dOut after backward", name).isEqualTo(dOutBefore);
        }

        @ParameterizedTest(name = "{0}: backward before forward fails clearly")
        @MethodSource("org.paritysuite.reference.ActivationsTest#activations")
        void backwardBeforeForward(String name, Supplier<Layer> activation) {
            assertThatThrownBy(() -> activation.get().backward(matrix(new double[][] {{1, 2}})))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("backward called before forward");
        }
    }

    @Nested
    @DisplayName("Relu")
    class ReluSemantics {

        @Test
        @DisplayName("computes max(x, 0)")
        void forward() {
            INDArray out = new Relu().forward(matrix(new double[][] {{-2, 0, 3}}));
            assertThat(out.toDoubleVector()).as("relu([-2, 0, 3])").containsExactly(0, 0, 3);
        }

        @Test
        @DisplayName("NOTE: takes the derivative at exactly 0 as 0, like TensorFlow's ReluGrad")
        void derivativeAtZero() {
            Relu relu = new Relu();
            relu.forward(matrix(new double[][] {{-2, 0, 3}}));
            INDArray dX = relu.backward(matrix(new double[][] {{1, 1, 1}}));
            assertThat(dX.toDoubleVector()).as("dX for x = [-2, 0, 3], dOut = 1").containsExactly(0, 0, 1);
        }
    }

    @Nested
    @DisplayName("LeakyRelu")
    class LeakyReluSemantics {

        @Test
        @DisplayName("computes x for x > 0 and exactly alpha * x otherwise")
        void forward() {
            INDArray out = new LeakyRelu(0.2).forward(matrix(new double[][] {{-2, 0, 3}}));
            assertThat(out.toDoubleVector()).as("leaky_relu([-2, 0, 3]), alpha 0.2").containsExactly(-2 * 0.2, 0, 3);
        }

        @Test
        @DisplayName("NOTE: gives gradient alpha at exactly 0, like TensorFlow's LeakyReluGrad (features > 0 ? g : g * alpha)")
        void derivativeAtZero() {
            LeakyRelu leaky = new LeakyRelu(0.2);
            leaky.forward(matrix(new double[][] {{-2, 0, 3}}));
            INDArray dX = leaky.backward(matrix(new double[][] {{1, 1, 1}}));
            assertThat(dX.toDoubleVector()).as("dX for x = [-2, 0, 3], dOut = 1").containsExactly(0.2, 0.2, 1);
        }

        @Test
        @DisplayName("rejects a slope outside [0, 1), showing it")
        void badAlpha() {
            assertThatThrownBy(() -> new LeakyRelu(1.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("found 1.5");
        }

        @Test
        @DisplayName("prints its slope")
        void printsAlpha() {
            assertThat(new LeakyRelu(0.3)).hasToString("LeakyRelu(alpha=0.3)");
        }
    }

    @Nested
    @DisplayName("Sigmoid and Tanh")
    class Saturation {

        @Test
        @DisplayName("sigmoid saturates to 0 and 1 at +-1000 without NaN, and its gradient vanishes")
        void sigmoidExtremes() {
            Sigmoid sigmoid = new Sigmoid();
            INDArray out = sigmoid.forward(matrix(new double[][] {{-1000, 0, 1000}}));
            INDArray dX = sigmoid.backward(matrix(new double[][] {{1, 1, 1}}));
            assertThat(out.toDoubleVector()).as("sigmoid([-1000, 0, 1000])").containsExactly(0, 0.5, 1);
            assertThat(dX.toDoubleVector()).as("sigmoid'([-1000, 0, 1000])").containsExactly(0, 0.25, 0);
        }

        @Test
        @DisplayName("tanh saturates to -1 and 1 at +-1000 without NaN, and its gradient vanishes")
        void tanhExtremes() {
            Tanh tanh = new Tanh();
            INDArray out = tanh.forward(matrix(new double[][] {{-1000, 0, 1000}}));
            INDArray dX = tanh.backward(matrix(new double[][] {{1, 1, 1}}));
            assertThat(out.toDoubleVector()).as("tanh([-1000, 0, 1000])").containsExactly(-1, 0, 1);
            assertThat(dX.toDoubleVector()).as("tanh'([-1000, 0, 1000])").containsExactly(0, 1, 0);
        }
    }

    @Nested
    @DisplayName("Softmax")
    class SoftmaxSemantics {

        @Test
        @DisplayName("gives rows of positive numbers summing to 1")
        void rowsSumToOne() {
            INDArray p = new Softmax().forward(new TestArrays(5).uniform(-3, 3, 4, 6));
            assertThat(p.minNumber().doubleValue()).as("smallest probability").isPositive();
            for (double rowSum : p.sum(1).toDoubleVector()) {
                assertThat(rowSum).as("a row sum of softmax").isCloseTo(1.0, within(1e-15));
            }
        }

        @Test
        @DisplayName("does not overflow for logits of 1000 (max-subtracted)")
        void extremeLogits() {
            INDArray p = new Softmax().forward(matrix(new double[][] {{1000, 0, -1000}, {1000, 1000, 1000}}));
            assertThat(p.toDoubleMatrix())
                    .as("softmax of extreme logits")
                    .isDeepEqualTo(new double[][] {{1, 0, 0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}});
        }

        @Test
        @DisplayName("is unchanged when a constant is added to a row")
        void shiftInvariant() {
            INDArray z = new TestArrays(6).uniform(-3, 3, 2, 4);
            INDArray p = new Softmax().forward(z);
            INDArray shifted = new Softmax().forward(z.add(50.0));
            assertThat(shifted.sub(p).amaxNumber().doubleValue())
                    .as("largest change of softmax(z + 50) against softmax(z)")
                    .isLessThan(1e-15);
        }

        @Test
        @DisplayName("backward of a dOut constant along each row is 0 (the rows' sum is fixed at 1)")
        void constantUpstream() {
            Softmax softmax = new Softmax();
            softmax.forward(new TestArrays(8).uniform(-3, 3, 2, 4));
            INDArray dZ = softmax.backward(matrix(new double[][] {{2, 2, 2, 2}, {-1, -1, -1, -1}}));
            assertThat(dZ.amaxNumber().doubleValue()).as("largest |dZ| for a row-constant dOut").isLessThan(1e-15);
        }
    }
}
