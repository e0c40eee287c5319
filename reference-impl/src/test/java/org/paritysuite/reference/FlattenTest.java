package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.paritysuite.reference.TestImages.sequence;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.gradcheck.ArrayFunction;
import org.paritysuite.fixtures.gradcheck.CheckedFunction;
import org.paritysuite.fixtures.gradcheck.GradientCheck;

@DisplayName("Flatten: [N, C, H, W] -> [N, C*H*W] in NCHW order")
class FlattenTest {

    @Nested
    @DisplayName("forward")
    class Forward {

        @Test
        @DisplayName("puts x[n, c, h, w] at column (c*H + h)*W + w")
        void nchwOrder() {
            INDArray x = sequence(2, 3, 2, 4);                       // C=3, H=2, W=4
            INDArray out = new Flatten().forward(x);
            assertThat(out.shape()).as("shape").containsExactly(2, 24);
            // x[1, 2, 1, 3]: c=2, h=1, w=3 -> column (2*2 + 1)*4 + 3 = 23
            assertThat(out.getDouble(1, 23)).as("column of x[1, 2, 1, 3]").isEqualTo(x.getDouble(1, 2, 1, 3));
            // x[0, 1, 0, 0]: column 8, where TensorFlow's NHWC order (h*W + w)*C + c would put it at 1
            assertThat(out.getDouble(0, 8)).as("column of x[0, 1, 0, 0] (channel-major)").isEqualTo(x.getDouble(0, 1, 0, 0));
        }

        @Test
        @DisplayName("passes rows [N, D] through unchanged")
        void rowsPassThrough() {
            INDArray x = sequence(3, 5);
            assertThat(new Flatten().forward(x)).as("[N, D] input").isEqualTo(x);
        }

        @Test
        @DisplayName("returns a copy: writing to it leaves x alone")
        void copy() {
            INDArray x = sequence(1, 1, 2, 2);
            new Flatten().forward(x).putScalar(0, 0, 100);
            assertThat(x.getDouble(0, 0, 0, 0)).as("x after writing to the output").isEqualTo(1);
        }

        @Test
        @DisplayName("rejects a rank-3 input, naming it")
        void rank3() {
            assertThatThrownBy(() -> new Flatten().forward(sequence(2, 3, 4)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2, 3, 4]");
        }
    }

    @Nested
    @DisplayName("backward")
    class Backward {

        @Test
        @DisplayName("reshapes dOut back to [N, C, H, W]")
        void reshapesBack() {
            Flatten flatten = new Flatten();
            INDArray x = sequence(2, 3, 2, 2);
            flatten.forward(x);
            assertThat(flatten.backward(flatten.forward(x))).as("backward(forward(x))").isEqualTo(x);
        }

        @Test
        @DisplayName("rejects a dOut of the wrong width")
        void wrongWidth() {
            Flatten flatten = new Flatten();
            flatten.forward(sequence(2, 3, 2, 2));
            assertThatThrownBy(() -> flatten.backward(sequence(2, 13)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2, 12]")
                    .hasMessageContaining("[2, 13]");
        }
    }

    @Test
    @Tag("gradcheck")
    @DisplayName("gradient check: dX matches the numerical gradient")
    void gradCheck() {
        TestArrays random = new TestArrays(11);
        INDArray x = random.uniform(-1, 1, 2, 3, 2, 3);
        INDArray dOut = random.uniform(-1, 1, 2, 18);
        CheckedFunction f = ArrayFunction.of(x, v -> new Flatten().forward(v),
                d -> { Flatten flatten = new Flatten(); flatten.forward(x); return flatten.backward(d); });
        GradientCheckAssert.assertThat(GradientCheck.named("Flatten dX").elementwise(f, dOut)).passes();
    }
}
