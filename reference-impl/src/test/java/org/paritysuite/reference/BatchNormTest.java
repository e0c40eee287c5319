package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.paritysuite.reference.TestImages.image;

import java.util.Arrays;
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
import org.paritysuite.reference.BatchNorm.MovingVarianceEstimator;

@DisplayName("BatchNorm: out = gamma * (x - mean) / sqrt(var + eps) + beta, per channel")
class BatchNormTest {

    // The hand-worked batch: two channels of m = 4 values each.
    //   channel 0: 1, 2, 3, 6   mean 3, var_B = (4 + 1 + 0 + 9) / 4 = 3.5, unbiased 14/3
    //   channel 1: 0, 0, 2, 2   mean 1, var_B = 1,                        unbiased 4/3
    private static final INDArray FEATURES = image(new long[] {4, 2}, 1, 0, 2, 0, 3, 2, 6, 2);
    // The same numbers as images [N=2, C=2, H=1, W=2]: x[n, c, 0, :]
    private static final INDArray IMAGES = image(new long[] {2, 2, 1, 2}, 1, 2, 0, 0, 3, 6, 2, 2);

    private static final INDArray ONES = image(new long[] {2}, 1, 1);
    private static final INDArray ZEROS = image(new long[] {2}, 0, 0);
    private static final INDArray MOVING_MEAN = image(new long[] {2}, 0, 10);
    private static final INDArray MOVING_VARIANCE = image(new long[] {2}, 1, 2);

    private static BatchNorm handWorked(MovingVarianceEstimator estimator) {
        return new BatchNorm(ONES, ZEROS, MOVING_MEAN, MOVING_VARIANCE, 0.9, 1e-3, estimator);
    }

    @Nested
    @DisplayName("moving statistics after one training pass (momentum 0.9)")
    class MovingStatistics {

        @Test
        @DisplayName("moving mean = 0.9 * moving + 0.1 * mean_B")
        void movingMean() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.UNBIASED);
            bn.forward(FEATURES);
            assertThat(bn.movingMean().toDoubleVector()).as("0.9 * [0, 10] + 0.1 * [3, 1]")
                    .containsExactly(new double[] {0.3, 9.1}, within(1e-15));
        }

        @Test
        @DisplayName("UNBIASED (default): moving variance moves towards var_B * m / (m - 1)")
        void unbiased() {
            BatchNorm bn = new BatchNorm(ONES, ZEROS, MOVING_MEAN, MOVING_VARIANCE, 0.9, 1e-3);
            assertThat(bn.estimator()).as("default estimator").isEqualTo(MovingVarianceEstimator.UNBIASED);
            bn.forward(FEATURES);
            assertThat(bn.movingVariance().toDoubleVector()).as("0.9 * [1, 2] + 0.1 * [14/3, 4/3]")
                    .containsExactly(new double[] {0.9 + 1.4 / 3, 1.8 + 0.4 / 3}, within(1e-15));
        }

        @Test
        @DisplayName("BIASED: moving variance moves towards var_B")
        void biased() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.BIASED);
            bn.forward(FEATURES);
            assertThat(bn.movingVariance().toDoubleVector()).as("0.9 * [1, 2] + 0.1 * [3.5, 1]")
                    .containsExactly(new double[] {1.25, 1.9}, within(1e-15));
        }

        @Test
        @DisplayName("images: the statistics of a channel are over N, H and W")
        void images() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.BIASED);
            bn.forward(IMAGES);
            assertThat(bn.batchMean().toDoubleVector()).as("mean_B per channel").containsExactly(3, 1);
            assertThat(bn.batchVariance().toDoubleVector()).as("var_B per channel").containsExactly(3.5, 1);
        }

        @Test
        @DisplayName("a batch of one: UNBIASED uses m / max(m - 1, 1) = 1, as TensorFlow's fused op does")
        void batchOfOne() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.UNBIASED);
            bn.forward(image(new long[] {1, 2}, 5, 7));
            assertThat(bn.movingVariance().toDoubleVector()).as("var_B = 0, so 0.9 * [1, 2]")
                    .containsExactly(new double[] {0.9, 1.8}, within(1e-15));
        }

        @Test
        @DisplayName("an inference pass leaves them alone")
        void inferenceNoUpdate() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.UNBIASED);
            bn.setTraining(false);
            bn.forward(FEATURES);
            assertThat(bn.movingMean()).as("moving mean").isEqualTo(MOVING_MEAN);
            assertThat(bn.movingVariance()).as("moving variance").isEqualTo(MOVING_VARIANCE);
        }

        @Test
        @DisplayName("the arrays given to the layer are never written")
        void givenArraysUnchanged() {
            INDArray mean = MOVING_MEAN.dup();
            INDArray variance = MOVING_VARIANCE.dup();
            new BatchNorm(ONES, ZEROS, mean, variance, 0.9, 1e-3).forward(FEATURES);
            assertThat(mean).as("moving mean given").isEqualTo(MOVING_MEAN);
            assertThat(variance).as("moving variance given").isEqualTo(MOVING_VARIANCE);
        }
    }

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("training normalizes with the biased batch variance")
        void trainingNormalizes() {
            INDArray out = handWorked(MovingVarianceEstimator.UNBIASED).forward(FEATURES);
            assertThat(out.getDouble(0, 0)).as("(1 - 3) / sqrt(3.5 + 0.001)")
                    .isCloseTo(-2 / Math.sqrt(3.501), within(1e-15));
            assertThat(out.getDouble(3, 1)).as("(2 - 1) / sqrt(1 + 0.001)")
                    .isCloseTo(1 / Math.sqrt(1.001), within(1e-15));
        }

        @Test
        @DisplayName("images give the same numbers as the features they hold")
        void imagesLikeFeatures() {
            INDArray out = handWorked(MovingVarianceEstimator.UNBIASED).forward(IMAGES);
            assertThat(out.getDouble(1, 0, 0, 1)).as("x[1, 0, 0, 1] = 6: (6 - 3) / sqrt(3.501)")
                    .isCloseTo(3 / Math.sqrt(3.501), within(1e-15));
        }

        @Test
        @DisplayName("inference uses the moving statistics: gamma * (x - mean) / sqrt(var + eps) + beta")
        void inference() {
            BatchNorm bn = new BatchNorm(image(new long[] {2}, 3, 1), image(new long[] {2}, 1, 0),
                    image(new long[] {2}, 1, 0), image(new long[] {2}, 3, 0), 0.99, 1.0);
            bn.setTraining(false);
            INDArray out = bn.forward(image(new long[] {1, 2}, 5, 4));
            assertThat(out.toDoubleVector()).as("[3 * (5 - 1) / 2 + 1, 1 * (4 - 0) / 1 + 0]").containsExactly(7, 4);
        }

        @Test
        @DisplayName("keeps float32")
        void float32() {
            BatchNorm bn = new BatchNorm(ONES.castTo(DataType.FLOAT), ZEROS.castTo(DataType.FLOAT),
                    MOVING_MEAN.castTo(DataType.FLOAT), MOVING_VARIANCE.castTo(DataType.FLOAT), 0.99, 1e-3);
            INDArray out = bn.forward(FEATURES.castTo(DataType.FLOAT));
            assertThat(out.dataType()).as("output").isEqualTo(DataType.FLOAT);
            assertThat(bn.movingVariance().dataType()).as("moving variance").isEqualTo(DataType.FLOAT);
        }
    }

    @Nested
    @DisplayName("argument checks")
    class Checks {

        @Test
        @DisplayName("an input whose channel count is not C, naming both")
        void wrongChannels() {
            assertThatThrownBy(() -> handWorked(MovingVarianceEstimator.UNBIASED).forward(image(new long[] {2, 3}, 1, 2, 3, 4, 5, 6)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BatchNorm(C=2")
                    .hasMessageContaining("[N, 2]")
                    .hasMessageContaining("[2, 3]");
        }

        @Test
        @DisplayName("a beta of the wrong length")
        void wrongBeta() {
            assertThatThrownBy(() -> new BatchNorm(ONES, image(new long[] {3}, 0, 0, 0), MOVING_MEAN, MOVING_VARIANCE,
                    0.99, 1e-3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("beta")
                    .hasMessageContaining("[3]");
        }

        @Test
        @DisplayName("a momentum of 1")
        void momentumOne() {
            assertThatThrownBy(() -> new BatchNorm(ONES, ZEROS, MOVING_MEAN, MOVING_VARIANCE, 1.0, 1e-3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("momentum")
                    .hasMessageContaining("1.0");
        }

        @Test
        @DisplayName("a dOut of the wrong shape")
        void wrongGradient() {
            BatchNorm bn = handWorked(MovingVarianceEstimator.UNBIASED);
            bn.forward(FEATURES);
            assertThatThrownBy(() -> bn.backward(IMAGES))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[4, 2]");
        }
    }

    /**
     * A gradient-check setting: the input shape, the mode, seeded parameters away from degenerate values.
     *
     * @param name shown as the test name
     */
    record Case(String name, long[] shape, boolean training) {

        INDArray x() {
            return new TestArrays(seed()).uniform(-2, 2, shape);
        }

        INDArray dOut() {
            return new TestArrays(seed() + 1).uniform(-1, 1, shape);
        }

        INDArray gamma() {
            return new TestArrays(seed() + 2).uniform(0.5, 1.5, shape[1]);
        }

        INDArray beta() {
            return new TestArrays(seed() + 3).uniform(-1, 1, shape[1]);
        }

        BatchNorm layer(INDArray gamma, INDArray beta) {
            TestArrays random = new TestArrays(seed() + 4);
            BatchNorm bn = new BatchNorm(gamma, beta, random.uniform(-0.5, 0.5, shape[1]), random.uniform(0.5, 1.5, shape[1]),
                    0.99, 1e-3);
            bn.setTraining(training);
            return bn;
        }

        private long seed() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    static Stream<Case> gradientCheckCases() {
        return Stream.of(
                new Case("features, training", new long[] {5, 3}, true),
                new Case("features, inference", new long[] {5, 3}, false),
                new Case("images, training", new long[] {2, 3, 2, 3}, true),
                new Case("images, inference", new long[] {2, 3, 2, 3}, false));
    }

    @Nested
    @Tag("gradcheck")
    @DisplayName("gradient check (float64, Commons Math finite differences)")
    class GradCheck {

        /** The layer's forward at the case's x, then its backward of {@code dOut}. */
        private BatchNorm trained(Case c, INDArray dOut) {
            BatchNorm bn = c.layer(c.gamma(), c.beta());
            bn.forward(c.x());
            bn.backward(dOut);
            return bn;
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.BatchNormTest#gradientCheckCases")
        @DisplayName("dX matches the numerical gradient")
        void dX(Case c) {
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.layer(c.gamma(), c.beta()).forward(v),
                    d -> { BatchNorm bn = c.layer(c.gamma(), c.beta()); bn.forward(c.x()); return bn.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("BatchNorm " + c + " dX").elementwise(f, c.dOut())).passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.BatchNormTest#gradientCheckCases")
        @DisplayName("dGamma matches the numerical gradient")
        void dGamma(Case c) {
            CheckedFunction f = ArrayFunction.of(c.gamma(), v -> c.layer(v, c.beta()).forward(c.x()),
                    d -> trained(c, d).dGamma());
            GradientCheckAssert.assertThat(GradientCheck.named("BatchNorm " + c + " dGamma").elementwise(f, c.dOut()))
                    .passes();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("org.paritysuite.reference.BatchNormTest#gradientCheckCases")
        @DisplayName("dBeta matches the numerical gradient")
        void dBeta(Case c) {
            CheckedFunction f = ArrayFunction.of(c.beta(), v -> c.layer(c.gamma(), v).forward(c.x()),
                    d -> trained(c, d).dBeta());
            GradientCheckAssert.assertThat(GradientCheck.named("BatchNorm " + c + " dBeta").elementwise(f, c.dOut()))
                    .passes();
        }

        @Test
        @DisplayName("training pass on [64, 128] features: random projections v . J u of dX")
        void projections() {
            Case c = new Case("features, training, large", new long[] {64, 128}, true);
            CheckedFunction f = ArrayFunction.of(c.x(), v -> c.layer(c.gamma(), c.beta()).forward(v),
                    d -> { BatchNorm bn = c.layer(c.gamma(), c.beta()); bn.forward(c.x()); return bn.backward(d); });
            GradientCheckAssert.assertThat(GradientCheck.named("BatchNorm " + c + " dX")
                    .stencil(Stencil.WIDE).projections(f, 8, 1)).passes();
        }
    }
}
