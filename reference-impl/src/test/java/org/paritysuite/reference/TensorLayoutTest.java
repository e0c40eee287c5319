package org.paritysuite.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;

@DisplayName("TensorLayout: one example's tensor on each side")
class TensorLayoutTest {

    @Test
    @DisplayName("IMAGE: NHWC x[n, h, w, c] is NCHW x[n, c, h, w], and back")
    void image() {
        TensorLayout layout = TensorLayout.image(2, 3, 4);
        INDArray nhwc = new TestArrays(1).uniform(-1, 1, 2, 2, 3, 4);
        INDArray nchw = layout.toReference(nhwc);
        assertThat(nchw.shape()).containsExactly(2, 4, 2, 3);
        assertThat(nchw.getDouble(1, 3, 0, 2)).isEqualTo(nhwc.getDouble(1, 0, 2, 3));
        assertThat(nchw.getDouble(0, 1, 1, 0)).isEqualTo(nhwc.getDouble(0, 1, 0, 1));
        assertThat(layout.toTensorFlow(nchw)).isEqualTo(nhwc);
    }

    @Test
    @DisplayName("FLATTENED_IMAGE: TensorFlow feature (h*W + w)*C + c is reference feature (c*H + h)*W + w")
    void flattenedImage() {
        TensorLayout layout = TensorLayout.flattenedImage(2, 2, 3);
        INDArray tf = TestImages.sequence(2, 12).sub(1);                   // example n holds 12 n + feature
        INDArray reference = layout.toReference(tf);
        assertThat(reference.getRow(1).toDoubleVector()).as("example 1 in (c, h, w) order")
                .containsExactly(12, 15, 18, 21, 13, 16, 19, 22, 14, 17, 20, 23);
        assertThat(layout.toTensorFlow(reference)).isEqualTo(tf);
    }

    @Test
    @DisplayName("FLATTENED_IMAGE kernel rows: a transposed view converts as its copy does, and the result is never a view of it")
    void flattenedImageRowsOfAView() {
        TensorLayout layout = TensorLayout.flattenedImage(2, 2, 3);
        INDArray rows = TestImages.sequence(5, 12).transpose();            // [12, 5], a view in f order
        INDArray fromView = layout.featuresToReference(rows, 0);
        assertThat(fromView).as("the view's rows in (c, h, w) order").isEqualTo(layout.featuresToReference(rows.dup('c'), 0));
        assertThat(fromView.getRow(1).toDoubleVector()).as("reference row 1 is TensorFlow row 3 (c 0, h 0, w 1)")
                .containsExactly(rows.getRow(3).toDoubleVector());
        INDArray contiguous = rows.dup('c');
        layout.featuresToTensorFlow(contiguous, 0).assign(0);
        assertThat(contiguous).as("a c-order argument after its result was overwritten").isEqualTo(rows);
    }

    @Test
    @DisplayName("a Flatten of an IMAGE is a FLATTENED_IMAGE of the same sizes; of a flat layout, the same layout")
    void flattened() {
        assertThat(TensorLayout.image(4, 5, 6).flattened()).isEqualTo(TensorLayout.flattenedImage(4, 5, 6));
        assertThat(TensorLayout.flattenedImage(4, 5, 6).flattened()).isEqualTo(TensorLayout.flattenedImage(4, 5, 6));
        assertThat(TensorLayout.flat(7).flattened()).isEqualTo(TensorLayout.flat(7));
        assertThat(TensorLayout.flattenedImage(4, 5, 6).tensorFlowShape()).containsExactly(120);
    }

    @Test
    @DisplayName("converts in the argument's type and never returns a view of it")
    void typeAndCopy() {
        INDArray tf = TestImages.sequence(1, 2, 2, 3).castTo(DataType.FLOAT);
        INDArray reference = TensorLayout.image(2, 2, 3).toReference(tf);
        assertThat(reference.dataType()).isEqualTo(DataType.FLOAT);
        reference.assign(0);
        assertThat(tf.getDouble(0)).isEqualTo(1);
    }

    @Test
    @DisplayName("rejects a batch of the wrong shape, naming expected and found")
    void wrongShape() {
        INDArray nchw = TestImages.sequence(1, 3, 2, 2);
        assertThatThrownBy(() -> TensorLayout.image(2, 2, 3).toReference(nchw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[N, 2, 2, 3]")
                .hasMessageContaining("[1, 3, 2, 2]");
    }

    @Test
    @DisplayName("an input that is neither [D] nor [H, W, C] is a FixtureException naming the shape")
    void otherInput() {
        assertThatThrownBy(() -> TensorLayout.ofInput(List.of(28, 28), "model 'm'"))
                .isInstanceOf(FixtureException.class)
                .hasMessageContaining("[28, 28]")
                .hasMessageContaining("model 'm'");
    }
}
