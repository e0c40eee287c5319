package org.paritysuite.harness.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("TensorComparator")
class TensorComparatorTest {

    private static final Tolerance TOL = new Tolerance(1e-6, 1e-5, "test tolerance");

    private static INDArray matrix(double... v) {
        return Nd4j.create(v, new long[] {2, v.length / 2}, 'c');
    }

    @Nested
    @DisplayName("passes")
    class Passes {

        @Test
        @DisplayName("identical tensors, with zero error and zero ULP distance")
        void identical() {
            TensorComparison c = TensorComparator.compare("t", matrix(1, 2, 3, 4), matrix(1, 2, 3, 4), TOL);
            assertThat(c.passed()).isTrue();
            assertThat(c.maxAbsError()).isZero();
            assertThat(c.maxUlp()).isZero();
        }

        @Test
        @DisplayName("differences within atol + rtol*|expected|")
        void withinTolerance() {
            TensorComparison c = TensorComparator.compare("t", matrix(1 + 1e-5, 2), matrix(1, 2), TOL);
            assertThat(c.passed()).as(c.message()).isTrue();
            assertThat(c.errorRatio()).isLessThan(1);
        }
    }

    @Nested
    @DisplayName("fails")
    class Fails {

        @Test
        @DisplayName("with an assert_close-style message: count, worst index, both values, both tolerances")
        void message() {
            TensorComparison c = TensorComparator.compare("dense_1/kernel gradient, float32",
                    matrix(1, 2.5, 3, 4), matrix(1, 2, 3, 4.001), TOL);
            assertThat(c.passed()).isFalse();
            assertThat(c.mismatched()).isEqualTo(2);
            assertThat(c.message()).contains("Tensors are not close!  (dense_1/kernel gradient, float32)")
                    .contains("Mismatched elements: 2 / 4 (50.0%)")
                    .contains("Greatest absolute difference: 0.5000 at index (0, 1) (up to 1.00e-05 allowed)")
                    .contains("Greatest relative difference: 0.2500 at index (0, 1) (up to 1.00e-06 allowed)")
                    .contains("actual 2.5").contains("expected 2.0");
        }

        @Test
        @DisplayName("when both sides are NaN at the same place")
        void nanOnBothSides() {
            TensorComparison c = TensorComparator.compare("t", matrix(1, Double.NaN), matrix(1, Double.NaN), TOL);
            assertThat(c.passed()).isFalse();
            assertThat(c.message()).contains("Non-finite value at index (1, 0)");
        }

        @Test
        @DisplayName("when the tensors are empty: nothing was compared")
        void empty() {
            TensorComparison c = TensorComparator.compare("t", Nd4j.create(DataType.DOUBLE, 0), Nd4j.create(DataType.DOUBLE, 0), TOL);
            assertThat(c.passed()).isFalse();
            assertThat(c.message()).contains("Nothing to compare");
        }

        @Test
        @DisplayName("when every element is under the absolute floor: nothing was compared")
        void underTheFloor() {
            TensorComparison c = TensorComparator.compare("t", matrix(1e-7, 0), matrix(0, -1e-7), TOL);
            assertThat(c.passed()).isFalse();
            assertThat(c.message()).contains("Nothing to compare: all 2 elements");
        }

        @Test
        @DisplayName("not when both sides are exact zeros under a floor of 0: every element was held to equality")
        void exactZerosAtAZeroFloor() {
            Tolerance exact = new Tolerance(1e-10, 0, "float64 floor rtol*max|expected| = 0");
            TensorComparison c = TensorComparator.compare("t", matrix(0, 0), matrix(0, -0.0), exact);
            assertThat(c.passed()).as("exact zeros on both sides at a floor of 0: %s", c.message()).isTrue();
        }

        @Test
        @DisplayName("when one side is not zero where the other is, under a floor of 0")
        void zeroAgainstNonZeroAtAZeroFloor() {
            Tolerance exact = new Tolerance(1e-10, 0, "float64 floor rtol*max|expected| = 0");
            TensorComparison c = TensorComparator.compare("t", matrix(0, 1e-300), matrix(0, 0), exact);
            assertThat(c.passed()).as("1e-300 against an exact 0 at a floor of 0").isFalse();
        }

        @Test
        @DisplayName("when the shapes differ")
        void shapes() {
            TensorComparison c = TensorComparator.compare("t", matrix(1, 2, 3, 4),
                    Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {4, 1}, 'c'), TOL);
            assertThat(c.message()).contains("Shapes differ: actual [2, 2], expected [4, 1]");
        }
    }

    @Nested
    @DisplayName("counts ULPs")
    class Ulps {

        @Test
        @DisplayName("in float32 for float32 tensors, across zero too")
        void float32() {
            assertThat(TensorComparator.ulpDistance(1.0f, Math.nextUp(1.0f), true)).isEqualTo(1);
            assertThat(TensorComparator.ulpDistance(-Float.MIN_VALUE, Float.MIN_VALUE, true)).isEqualTo(2);
        }

        @Test
        @DisplayName("in float64 for float64 tensors")
        void float64() {
            assertThat(TensorComparator.ulpDistance(1.0, Math.nextUp(Math.nextUp(1.0)), false)).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("as an AssertJ assertion")
    class AssertJ {

        @Test
        @DisplayName("fails with the comparison message under the given description")
        void failsWithMessage() {
            assertThatThrownBy(() -> TensorAssert.assertThat(matrix(1, 3)).as("probs, float64")
                    .isCloseTo(matrix(1, 2), TOL))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Tensors are not close!  (probs, float64)");
        }

        @Test
        @DisplayName("a tolerance without a reason is refused")
        void reasonRequired() {
            assertThatThrownBy(() -> new Tolerance(1e-6, 1e-6, " ")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
