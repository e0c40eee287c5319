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

@DisplayName("Losses and the L2 penalty")
class LossesTest {

    private static final int N = 5;
    private static final int K = 4;

    /**
     * Every loss with the input it takes: logits for the fused cross-entropy, probabilities in
     * (0, 1) for the others (so the KL divergence's clip at 1e-7 is never near); one-hot labels and
     * soft labels (rows summing to 1).
     */
    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("SoftmaxCrossEntropy, one-hot labels", (Supplier<Loss>) SoftmaxCrossEntropy::new, false, false),
                Arguments.of("SoftmaxCrossEntropy, soft labels", (Supplier<Loss>) SoftmaxCrossEntropy::new, false, true),
                Arguments.of("MeanSquaredError, one-hot labels", (Supplier<Loss>) MeanSquaredError::new, true, false),
                Arguments.of("MeanSquaredError, soft labels", (Supplier<Loss>) MeanSquaredError::new, true, true),
                Arguments.of("KlDivergence, one-hot labels", (Supplier<Loss>) KlDivergence::new, true, false),
                Arguments.of("KlDivergence, soft labels", (Supplier<Loss>) KlDivergence::new, true, true));
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        @ParameterizedTest(name = "{0}: d loss / d input matches the numerical gradient")
        @MethodSource("org.paritysuite.reference.LossesTest#losses")
        void dInput(String name, Supplier<Loss> lossFactory, boolean takesProbabilities, boolean softLabels) {
            TestArrays random = new TestArrays(11);
            INDArray input = takesProbabilities ? random.probabilityRows(N, K) : random.uniform(-3, 3, N, K);
            INDArray y = softLabels ? random.probabilityRows(N, K) : random.oneHot(N, K);
            Loss loss = lossFactory.get();
            loss.forward(input, y);
            // The KL divergence's clip of p at [1e-7, 1] is a kink; these probabilities are far inside it.
            CheckedFunction f = ArrayFunction.scalar(input, v -> lossFactory.get().forward(v, y).getDouble(0), loss.backward())
                    .withKinks(v -> Piece.builder().clipped(v, KlDivergence.EPSILON, 1).build());
            GradientCheckAssert.assertThat(GradientCheck.named(name + " dInput").elementwise(f)).passes().skippedAtKinks(0);
        }

        @Test
        @DisplayName("L2Penalty: dW matches the numerical gradient")
        void l2() {
            INDArray w = new TestArrays(12).uniform(-1, 1, 6, 5);
            L2Penalty penalty = new L2Penalty(0.01);
            penalty.forward(w);
            CheckedFunction f = ArrayFunction.scalar(w, v -> new L2Penalty(0.01).forward(v).getDouble(0), penalty.backward());
            GradientCheckAssert.assertThat(GradientCheck.named("L2Penalty(lambda=0.01) dW").elementwise(f)).passes();
        }

        @Test
        @DisplayName("SoftmaxCrossEntropy on [64, 1000] logits: random projections u . dZ")
        void crossEntropyProjections() {
            TestArrays random = new TestArrays(13);
            INDArray z = random.uniform(-5, 5, 64, 1000);
            INDArray y = random.oneHot(64, 1000);
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            ce.forward(z, y);
            CheckedFunction f = ArrayFunction.scalar(z, v -> new SoftmaxCrossEntropy().forward(v, y).getDouble(0), ce.backward());
            GradientCheckAssert.assertThat(GradientCheck.named("SoftmaxCrossEntropy [64, 1000] dZ")
                    .stencil(Stencil.WIDE).projections(f, 8, 1))
                    .passes();
        }
    }

    @Nested
    @DisplayName("every loss")
    class Contract {

        @ParameterizedTest(name = "{0}: the loss is a rank-0 scalar in the input's data type")
        @MethodSource("org.paritysuite.reference.LossesTest#losses")
        void scalar(String name, Supplier<Loss> lossFactory, boolean takesProbabilities, boolean softLabels) {
            TestArrays random = new TestArrays(13);
            INDArray input = random.probabilityRows(N, K).castTo(DataType.FLOAT);
            INDArray y = random.oneHot(N, K).castTo(DataType.FLOAT);
            INDArray value = lossFactory.get().forward(input, y);
            assertThat(value.rank()).as("%s: rank of the loss", name).isZero();
            assertThat(value.dataType()).as("%s: data type of the loss for float32 inputs", name).isEqualTo(DataType.FLOAT);
        }

        @ParameterizedTest(name = "{0}: rejects labels of another shape, naming both")
        @MethodSource("org.paritysuite.reference.LossesTest#losses")
        void labelShape(String name, Supplier<Loss> lossFactory, boolean takesProbabilities, boolean softLabels) {
            TestArrays random = new TestArrays(14);
            assertThatThrownBy(() -> lossFactory.get().forward(random.probabilityRows(N, K), random.oneHot(N, K + 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[5, 4]")
                    .hasMessageContaining("[5, 5]");
        }
    }

    @Nested
    @DisplayName("SoftmaxCrossEntropy")
    class CrossEntropy {

        @Test
        @DisplayName("of equal logits is log K")
        void uniform() {
            INDArray loss = new SoftmaxCrossEntropy().forward(matrix(new double[][] {{0, 0, 0}}), matrix(new double[][] {{0, 1, 0}}));
            assertThat(loss.getDouble(0)).as("cross-entropy of a uniform prediction over 3 classes").isCloseTo(Math.log(3), within(1e-15));
        }

        @Test
        @DisplayName("is -mean log p of the true class")
        void meanNegativeLogLikelihood() {
            INDArray z = matrix(new double[][] {{1, 2, 3}, {0.5, -1, 0}});
            INDArray y = matrix(new double[][] {{0, 0, 1}, {1, 0, 0}});
            double lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
            double lse1 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(0));
            double expected = ((lse0 - 3) + (lse1 - 0.5)) / 2;
            assertThat(new SoftmaxCrossEntropy().forward(z, y).getDouble(0)).as("mean cross-entropy").isCloseTo(expected, within(1e-15));
        }

        @Test
        @DisplayName("stays finite for logits of +-1000 (no log of an underflowed probability)")
        void extremeLogits() {
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            INDArray loss = ce.forward(matrix(new double[][] {{1000, -1000}}), matrix(new double[][] {{0, 1}}));
            assertThat(loss.getDouble(0)).as("cross-entropy when the true class has logit -1000 against 1000").isEqualTo(2000.0);
            assertThat(ce.backward().toDoubleVector()).as("dZ = p - y").containsExactly(1, -1);
        }

        @Test
        @DisplayName("has gradient (softmax(z) - y) / N")
        void gradientFormula() {
            SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
            ce.forward(matrix(new double[][] {{0, 0}, {0, 0}}), matrix(new double[][] {{1, 0}, {0, 1}}));
            assertThat(ce.backward().toDoubleMatrix()).as("dZ for equal logits, N = 2")
                    .isDeepEqualTo(new double[][] {{-0.25, 0.25}, {0.25, -0.25}});
        }
    }

    @Nested
    @DisplayName("MeanSquaredError")
    class Mse {

        @Test
        @DisplayName("is the mean over examples of the mean over classes of (p - y)^2")
        void value() {
            INDArray p = matrix(new double[][] {{0.5, 0.5}, {1, 0}});
            INDArray y = matrix(new double[][] {{1, 0}, {0, 1}});
            // example 0: (0.25 + 0.25) / 2 = 0.25; example 1: (1 + 1) / 2 = 1; mean 0.625
            assertThat(new MeanSquaredError().forward(p, y).getDouble(0)).as("mean squared error").isEqualTo(0.625);
        }

        @Test
        @DisplayName("has gradient 2 (p - y) / (N K)")
        void gradientFormula() {
            MeanSquaredError mse = new MeanSquaredError();
            mse.forward(matrix(new double[][] {{0.5, 0.5}, {1, 0}}), matrix(new double[][] {{1, 0}, {0, 1}}));
            assertThat(mse.backward().toDoubleMatrix()).as("dP for N = 2, K = 2")
                    .isDeepEqualTo(new double[][] {{-0.25, 0.25}, {0.5, -0.5}});
        }
    }

    @Nested
    @DisplayName("KlDivergence (Keras: y and p clipped to [1e-7, 1])")
    class Kl {

        private static final double EPS = 1e-7;

        @Test
        @DisplayName("counts the clipped zeros of one-hot labels")
        void clippedLabels() {
            INDArray loss = new KlDivergence().forward(matrix(new double[][] {{0.5, 0.5}}), matrix(new double[][] {{1, 0}}));
            double expected = Math.log(1 / 0.5) + EPS * Math.log(EPS / 0.5);
            assertThat(loss.getDouble(0)).as("KL of [1, 0] from [0.5, 0.5] with Keras clipping").isCloseTo(expected, within(1e-15));
        }

        @Test
        @DisplayName("is (almost) 0 for a perfect prediction, not exactly: clipped zeros remain")
        void perfect() {
            INDArray loss = new KlDivergence().forward(matrix(new double[][] {{1, 0}}), matrix(new double[][] {{1, 0}}));
            assertThat(loss.getDouble(0)).as("KL of a one-hot from itself").isEqualTo(EPS * Math.log(EPS / EPS)).isZero();
        }

        @Test
        @DisplayName("NOTE: has zero gradient where p is clipped (p < 1e-7 or p > 1), as TensorFlow's ClipByValue gradient")
        void outsideClip() {
            KlDivergence kl = new KlDivergence();
            kl.forward(matrix(new double[][] {{1e-9, 1.5}}), matrix(new double[][] {{0.5, 0.5}}));
            assertThat(kl.backward().toDoubleVector()).as("dP for p = [1e-9, 1.5] (-0.0 counts as 0)")
                    .containsExactly(new double[] {0, 0}, within(0.0));
        }

        @Test
        @DisplayName("NOTE: passes the gradient at the clip bounds themselves (p == 1e-7 and p == 1), as TensorFlow does")
        void atClipBounds() {
            KlDivergence kl = new KlDivergence();
            kl.forward(matrix(new double[][] {{EPS, 1}}), matrix(new double[][] {{0.5, 0.5}}));
            assertThat(kl.backward().toDoubleVector()).as("dP = -y / p for p = [1e-7, 1], N = 1")
                    .containsExactly(-0.5 / EPS, -0.5);
        }

        @Test
        @DisplayName("has gradient -y / p / N inside the clip range")
        void gradientFormula() {
            KlDivergence kl = new KlDivergence();
            kl.forward(matrix(new double[][] {{0.25, 0.75}, {0.5, 0.5}}), matrix(new double[][] {{1, 0}, {0.5, 0.5}}));
            assertThat(kl.backward().toDoubleMatrix()).as("dP for N = 2")
                    .isDeepEqualTo(new double[][] {{-1.0 / 0.25 / 2, -EPS / 0.75 / 2}, {-0.5, -0.5}});
        }
    }

    @Nested
    @DisplayName("L2Penalty")
    class L2 {

        @Test
        @DisplayName("NOTE: is lambda * sum(W^2), the Keras convention, not lambda/2")
        void kerasConvention() {
            INDArray penalty = new L2Penalty(0.5).forward(matrix(new double[][] {{1, -2}, {3, 0}}));
            assertThat(penalty.getDouble(0)).as("0.5 * (1 + 4 + 9)").isEqualTo(7.0);
        }

        @Test
        @DisplayName("has gradient 2 lambda W")
        void gradientFormula() {
            L2Penalty l2 = new L2Penalty(0.5);
            l2.forward(matrix(new double[][] {{1, -2}, {3, 0}}));
            assertThat(l2.backward().toDoubleMatrix()).as("2 * 0.5 * W").isDeepEqualTo(new double[][] {{1, -2}, {3, 0}});
        }

        @Test
        @DisplayName("rejects a negative lambda, showing it")
        void negative() {
            assertThatThrownBy(() -> new L2Penalty(-0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found -0.1");
        }
    }
}
