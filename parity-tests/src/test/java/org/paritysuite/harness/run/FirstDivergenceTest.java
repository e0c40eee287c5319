package org.paritysuite.harness.run;

import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;

/**
 * Localisation: when one side goes wrong at one place, the harness names that place. A side is
 * made wrong on purpose by scaling one traced tensor by {@code 1 + 1e-6}, a relative error far
 * above the float64 tolerance and far below anything a glance at the numbers would show.
 */
@DisplayName("First-divergence localisation")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstDivergenceTest {

    private ParityCase ist597;

    @BeforeAll
    void loadCase() {
        ist597 = CaseFactory.zooCase("ist597-mlp", Dataset.MNIST, Precision.FLOAT64);
    }

    @Test
    @DisplayName("names the hidden layer whose activation is wrong (forward) and nothing backward")
    void forwardDivergence() {
        CaseResult r = harness("activation/dense_1").run(ist597);
        assertThat(r.passed()).isFalse();
        assertThat(r.firstForward()).as(r.firstDivergence()).contains("dense_1");
        assertThat(r.firstBackward()).as(r.firstDivergence()).isEmpty();
    }

    @Test
    @DisplayName("names the gradient that is wrong, walking from the loss down")
    void backwardDivergence() {
        CaseResult r = harness("gradient/dense/kernel").run(ist597);
        assertThat(r.firstForward()).as(r.firstDivergence()).isEmpty();
        assertThat(r.firstBackward()).as(r.firstDivergence()).contains("dense/kernel");
    }

    @Test
    @DisplayName("names the loss when only the loss is wrong")
    void lossDivergence() {
        CaseResult r = harness("loss/loss").run(ist597);
        assertThat(r.firstForward()).contains("loss");
    }

    @Test
    @DisplayName("reports no divergence for two honest sides")
    void honest() {
        CaseResult r = new ParityHarness(Wiring.STANDARD).run(ist597);
        assertThat(r.passed()).as(r.firstDivergence()).isTrue();
        assertThat(r.firstDivergence()).isEqualTo("-");
    }

    private static ParityHarness harness(String corruptedKey) {
        return new ParityHarness(Wiring.STANDARD.withTensorflow(CorruptedSide.scaling(Wiring.STANDARD.tensorflow(), corruptedKey, 1 + 1e-6)));
    }
}
