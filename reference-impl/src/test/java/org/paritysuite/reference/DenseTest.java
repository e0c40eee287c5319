package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestArrays.matrix;
import static org.paritysuite.reference.TestArrays.vector;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;
import org.paritysuite.fixtures.gradcheck.Stencil;

@DisplayName("Dense: out = x W + b")
class DenseTest {

    // x [N=2, D=3], W [D=3, M=2], b [M=2]: small enough to work out by hand.
    private static final INDArray X = matrix(new double[][] {{1, 2, 3}, {-1, 0, 2}});
    private static final INDArray W = matrix(new double[][] {{1, -1}, {0.5, 2}, {-2, 0}});
    private static final INDArray B = vector(0.25, -0.5);

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("computes x W + b row by row")
        void affine() {
            INDArray out = Dense.withBias(W, B).forward(X);
            // row 0: [1 + 1 - 6, -1 + 4 + 0] + b = [-4, 3] + [0.25, -0.5]
            // row 1: [-1 + 0 - 4, 1 + 0 + 0] + b = [-5, 1] + [0.25, -0.5]
            assertThat(out.toDoubleMatrix())
                    .as("x W + b for the hand-worked example")
                    .isDeepEqualTo(new double[][] {{-3.75, 2.5}, {-4.75, 0.5}});
        }

        @Test
        @DisplayName("without a bias computes x W")
        void noBias() {
            INDArray out = Dense.withoutBias(W).forward(X);
            assertThat(out.toDoubleMatrix())
                    .as("x W for the hand-worked example")
                    .isDeepEqualTo(new double[][] {{-4, 3}, {-5, 1}});
        }

        @Test
        @DisplayName("leaves its input unchanged")
        void inputUnchanged() {
            INDArray x = X.dup();
            Dense.withBias(W, B).forward(x);
            assertThat(x).as("x after the forward pass").isEqualTo(X);
        }

        @Test
        @DisplayName("rejects an input whose width is not D, naming expected and found")
        void wrongWidth() {
            INDArray x = new TestArrays(1).uniform(-1, 1, 2, 4);
            assertThatThrownBy(() -> Dense.withBias(W, B).forward(x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Dense(D=3, M=2)")
                    .hasMessageContaining("[N, 3]")
                    .hasMessageContaining("[2, 4]");
        }

        @Test
        @DisplayName("rejects an input of another data type than W")
        void wrongType() {
            assertThatThrownBy(() -> Dense.withBias(W, B).forward(X.castTo(DataType.FLOAT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("FLOAT")
                    .hasMessageContaining("DOUBLE");
        }

        @Test
        @DisplayName("rejects a bias whose length is not M")
        void wrongBias() {
            assertThatThrownBy(() -> Dense.withBias(W, vector(1, 2, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2]")
                    .hasMessageContaining("[3]");
        }
    }

    @Nested
    @DisplayName("backward")
    class Backward {

        @Test
        @DisplayName("returns dB as the batch sum of dOut, shape [M]")
        void biasGradientIsBatchSum() {
            Dense dense = Dense.withBias(W, B);
            dense.forward(X);
            dense.backward(matrix(new double[][] {{1, 2}, {3, -4}}));
            assertThat(dense.dB().shape()).as("dB shape").containsExactly(2);
            assertThat(dense.dB().toDoubleVector()).as("dB = sum_n dOut[n, :]").containsExactly(4, -2);
        }

        @Test
        @DisplayName("fails clearly when called before forward")
        void beforeForward() {
            assertThatThrownBy(() -> Dense.withBias(W, B).backward(matrix(new double[][] {{1, 2}})))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("backward called before forward");
        }

        @Test
        @DisplayName("has no dB when the layer has no bias")
        void noBiasNoGradient() {
            Dense dense = Dense.withoutBias(W);
            dense.forward(X);
            dense.backward(matrix(new double[][] {{1, 2}, {3, 4}}));
            assertThatThrownBy(dense::dB).isInstanceOf(IllegalStateException.class).hasMessageContaining("no bias");
        }
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        // N=4, D=6, M=5: no dimension equal to another, so a transposed product cannot pass.
        private final TestArrays random = new TestArrays(20240601);
        private final INDArray x = random.uniform(-1, 1, 4, 6);
        private final INDArray w = random.uniform(-1, 1, 6, 5);
        private final INDArray b = random.uniform(-1, 1, 5);
        private final INDArray dOut = random.uniform(-1, 1, 4, 5);

        /** A fresh layer's forward at x, then its backward: the layer under test, once per call. */
        private Dense trained(Dense dense, INDArray upstream) {
            dense.forward(x);
            dense.backward(upstream);
            return dense;
        }

        @Test
        @DisplayName("dX matches the numerical gradient")
        void dX() {
            CheckedFunction f = ArrayFunction.of(x, v -> Dense.withBias(w, b).forward(v),
                    d -> { Dense dense = Dense.withBias(w, b); dense.forward(x); return dense.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("Dense dX").elementwise(f, dOut)).passes();
        }

        @Test
        @DisplayName("dW matches the numerical gradient")
        void dW() {
            CheckedFunction f = ArrayFunction.of(w, v -> Dense.withBias(v, b).forward(x),
                    d -> trained(Dense.withBias(w, b), d).dW());
            GradientCheckAssert.assertThat(GradientCheck.named("Dense dW").elementwise(f, dOut)).passes();
        }

        @Test
        @DisplayName("dB matches the numerical gradient")
        void dB() {
            CheckedFunction f = ArrayFunction.of(b, v -> Dense.withBias(w, v).forward(x),
                    d -> trained(Dense.withBias(w, b), d).dB());
            GradientCheckAssert.assertThat(GradientCheck.named("Dense dB").elementwise(f, dOut)).passes();
        }

        @Test
        @DisplayName("without a bias, dW still matches")
        void noBias() {
            CheckedFunction f = ArrayFunction.of(w, v -> Dense.withoutBias(v).forward(x),
                    d -> trained(Dense.withoutBias(w), d).dW());
            GradientCheckAssert.assertThat(GradientCheck.named("Dense (no bias) dW").elementwise(f, dOut)).passes();
        }
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("random projections v . J u (float64, 8 seeded directions)")
    class Projections {

        // A layer too large for element-wise checks to be cheap: N=16, D=300, M=200, 60,000 weights.
        private final TestArrays random = new TestArrays(77);
        private final INDArray x = random.uniform(-1, 1, 16, 300);
        private final INDArray w = random.uniform(-0.1, 0.1, 300, 200);
        private final INDArray b = random.uniform(-1, 1, 200);

        /** The layer's backward of {@code v} after its forward at x. */
        private Dense backward(INDArray v) {
            Dense dense = Dense.withBias(w, b);
            dense.forward(x);
            dense.backward(v);
            return dense;
        }

        @Test
        @DisplayName("dX of a 300 -> 200 layer")
        void dX() {
            CheckedFunction f = ArrayFunction.of(x, v -> Dense.withBias(w, b).forward(v),
                    v -> { Dense dense = Dense.withBias(w, b); dense.forward(x); return dense.backward(v); });
            GradientCheckAssert.assertThat(GradientCheck.named("Dense 300->200 dX").stencil(Stencil.WIDE)
                    .projections(f, 8, 1)).passes();
        }

        @Test
        @DisplayName("dW of a 300 -> 200 layer")
        void dW() {
            CheckedFunction f = ArrayFunction.of(w, v -> Dense.withBias(v, b).forward(x), v -> backward(v).dW());
            GradientCheckAssert.assertThat(GradientCheck.named("Dense 300->200 dW").stencil(Stencil.WIDE)
                    .projections(f, 8, 2)).passes();
        }

        @Test
        @DisplayName("catch a transposed kernel in backward: dX = dOut W instead of dOut W^T (D = M = 7)")
        void transposedBackward() {
            INDArray square = random.uniform(-1, 1, 7, 7);
            INDArray input = random.uniform(-1, 1, 3, 7);
            CheckedFunction wrong = ArrayFunction.of(input, v -> Dense.withoutBias(square).forward(v), v -> v.mmul(square));
            GradientCheckAssert.assertThat(GradientCheck.named("Dense dX = dOut W (wrong)").stencil(Stencil.WIDE)
                    .projections(wrong, 8, 3)).fails();
        }

        @Test
        @DisplayName("catch dW scaled by 1 + 1e-5 (a wrong 1/N, a float32 constant in float64)")
        void scaledBackward() {
            CheckedFunction wrong = ArrayFunction.of(w, v -> Dense.withBias(v, b).forward(x),
                    v -> backward(v).dW().mul(1 + 1e-5));
            GradientCheckAssert.assertThat(GradientCheck.named("Dense dW * (1 + 1e-5) (wrong)").stencil(Stencil.WIDE)
                    .projections(wrong, 8, 4)).fails();
        }
    }
}
