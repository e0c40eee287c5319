package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestImages.image;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;

@DisplayName("Dropout: out = x * mask * (1 / (1 - rate)) in training, x at inference")
class DropoutTest {

    private static final INDArray X = image(new long[] {2, 3}, 1, -2, 3, 4, 5, -6);
    private static final INDArray MASK = image(new long[] {2, 3}, 1, 0, 1, 0, 1, 1);

    private static Dropout training(double rate, INDArray mask) {
        Dropout dropout = new Dropout(rate);
        dropout.setMask(mask);
        return dropout;
    }

    @Nested
    @DisplayName("training")
    class Training {

        @Test
        @DisplayName("zeroes the dropped elements and scales the kept ones by 1 / (1 - rate)")
        void masksAndScales() {
            INDArray out = training(0.5, MASK).forward(X);
            assertThat(out.toDoubleMatrix()).as("rate 0.5: kept elements doubled")
                    .isDeepEqualTo(new double[][] {{2, 0, 6}, {0, 10, -12}});
        }

        @Test
        @DisplayName("in float32 computes (x * mask) * (float) (1 / (1 - rate)), bit for bit")
        void float32Order() {
            float[] x = {0.1f, 1.7f, -3.3f, 2.9f, 1e-3f, 7.77f};
            INDArray x32 = image(new long[] {2, 3}, toDoubles(x)).castTo(DataType.FLOAT);
            INDArray out = training(0.3, MASK).forward(x32);
            float scale = (float) (1.0 / (1.0 - 0.3));
            double[] mask = MASK.dup().data().asDouble();
            for (int i = 0; i < x.length; i++) {
                float expected = (x[i] * (float) mask[i]) * scale;
                assertThat(out.getFloat(i)).as("element %d, float32", i).isEqualTo(expected);
            }
        }

        @Test
        @DisplayName("takes the mask in any float type and computes in the input's")
        void maskTypeConverted() {
            INDArray out = training(0.5, MASK.castTo(DataType.FLOAT)).forward(X);
            assertThat(out.dataType()).as("output type").isEqualTo(DataType.DOUBLE);
        }

        @Test
        @DisplayName("backward: dX = dOut * mask * scale")
        void backward() {
            Dropout dropout = training(0.75, MASK);
            dropout.forward(X);
            INDArray dX = dropout.backward(image(new long[] {2, 3}, 1, 1, 1, 1, 1, 1));
            assertThat(dX.toDoubleMatrix()).as("rate 0.75: scale 4 where kept")
                    .isDeepEqualTo(new double[][] {{4, 0, 4}, {0, 4, 4}});
        }

        @Test
        @DisplayName("rate 0 keeps everything the mask keeps, unscaled")
        void rateZero() {
            assertThat(training(0, MASK).forward(X)).as("x * mask").isEqualTo(X.mul(MASK));
        }
    }

    @Nested
    @DisplayName("inference")
    class Inference {

        @Test
        @DisplayName("is the identity, with or without a mask")
        void identity() {
            Dropout dropout = training(0.5, MASK);
            dropout.setTraining(false);
            assertThat(dropout.forward(X)).as("out").isEqualTo(X);
        }

        @Test
        @DisplayName("backward passes dOut through")
        void backwardIdentity() {
            Dropout dropout = new Dropout(0.5);
            dropout.setTraining(false);
            dropout.forward(X);
            assertThat(dropout.backward(MASK)).as("dX").isEqualTo(MASK);
        }
    }

    @Nested
    @DisplayName("argument checks")
    class Checks {

        @Test
        @DisplayName("training without a mask fails clearly")
        void noMask() {
            assertThatThrownBy(() -> new Dropout(0.5).forward(X))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("setMask");
        }

        @Test
        @DisplayName("a mask of another shape than x, naming both")
        void maskShape() {
            Dropout dropout = training(0.5, image(new long[] {3, 2}, 1, 1, 1, 1, 1, 1));
            assertThatThrownBy(() -> dropout.forward(X))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2, 3]")
                    .hasMessageContaining("[3, 2]");
        }

        @Test
        @DisplayName("a mask with values other than 0 and 1")
        void maskValues() {
            assertThatThrownBy(() -> new Dropout(0.5).setMask(image(new long[] {2}, 1, 0.5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0.5");
        }

        @Test
        @DisplayName("a rate of 1 (it would divide by zero)")
        void rateOne() {
            assertThatThrownBy(() -> new Dropout(1.0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 1)")
                    .hasMessageContaining("1.0");
        }
    }

    @Test
    @Tag("gradcheck")
    @DisplayName("gradient check (training, images): dX matches the numerical gradient")
    void gradCheck() {
        TestArrays random = new TestArrays(12);
        INDArray x = random.uniform(-1, 1, 2, 2, 3, 3);
        INDArray mask = random.uniform(0, 1, 2, 2, 3, 3).gt(0.4).castTo(DataType.DOUBLE);
        INDArray dOut = random.uniform(-1, 1, 2, 2, 3, 3);
        CheckedFunction f = ArrayFunction.of(x, v -> training(0.4, mask).forward(v),
                d -> { Dropout dropout = training(0.4, mask); dropout.forward(x); return dropout.backward(d); });
        GradientCheckAssert.assertThat(GradientCheck.named("Dropout(rate=0.4) dX").elementwise(f, dOut)).passes();
    }

    private static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
