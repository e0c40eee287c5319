package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.fixtures.spec.ModelZoo;

/**
 * {@code parity explain --model ds541-cnn-a --walk}: one batch followed forward through every
 * layer, the loss, then backward from the loss down, with each layer's formulas from the
 * reference's own class comments, both sides' values and the inherited and local errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("parity explain --walk")
class ExplainWalkTest {

    private CliRun walk;
    private final List<LayerSpec> layers = ModelZoo.load("ds541-cnn-a").layers();

    @BeforeAll
    void walkThroughTheCnn() {
        walk = CliRun.of("explain", "--model", "ds541-cnn-a", "--walk", "--batch-size", "2");
    }

    @Test
    @DisplayName("exits 0 and prints to standard output only")
    void succeeds() {
        assertThat(walk.status()).as(walk.err()).isEqualTo(ParityCli.PASSED);
        assertThat(walk.err()).isEmpty();
    }

    @Test
    @DisplayName("goes forward through every layer in order, then the loss, then backward through every layer in"
            + " reverse order")
    void forwardLossBackward() {
        String out = walk.out();
        int at = out.indexOf("PART 1: FORWARD");
        assertThat(at).isNotNegative();
        for (int k = 0; k < layers.size(); k++) {
            String heading = "Layer " + (k + 1) + " of " + layers.size() + ": " + layers.get(k).name() + " (";
            int next = out.indexOf(heading, at);
            assertThat(next).as("forward heading '%s' after position %d", heading, at).isGreaterThan(at);
            at = next;
        }
        at = out.indexOf("PART 2: THE LOSS", at);
        assertThat(at).as("the loss after the last layer").isPositive();
        at = out.indexOf("PART 3: BACKWARD", at);
        assertThat(at).as("backward after the loss").isPositive();
        for (int k = layers.size() - 1; k >= 0; k--) {
            String heading = "Layer " + (k + 1) + " of " + layers.size() + ", backward: " + layers.get(k).name() + " (";
            int next = out.indexOf(heading, at);
            assertThat(next).as("backward heading '%s' after position %d", heading, at).isGreaterThan(at);
            at = next;
        }
    }

    @Test
    @DisplayName("quotes the reference's formulas, forward and backward")
    void quotesTheFormulas() {
        assertThat(walk.out()).contains("A fully connected (affine) layer: out = x W + b.", "dX = dOut W^T",
                "Max pooling over 2-D windows", "dW = dOut_rows cols^T", "Backward (training): dX = (dOut * mask) * scale",
                "Categorical cross-entropy fused with the softmax");
    }

    @Test
    @DisplayName("shows both sides' values one above the other, and every layer's inherited and local error")
    void valuesAndErrors() {
        String out = walk.out();
        assertThat(out.lines().filter(l -> l.startsWith("      TensorFlow ")).count())
                .isEqualTo(out.lines().filter(l -> l.startsWith("      reference  ")).count()).isPositive();
        assertThat(out.lines().filter(l -> l.startsWith("  error: inherited ")).count())
                .as("one error line per layer forward and one backward").isEqualTo(2L * layers.size());
        assertThat(out).contains("d conv2d_1/kernel", "d dense_1/bias", "of tolerance)").doesNotContain("FAILED");
    }
}
