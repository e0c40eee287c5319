package org.paritysuite.harness.run;

import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.harness.report.ParityReport;
import org.paritysuite.harness.report.ReportJson;
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
    @DisplayName("a NaN in the reference's loss fails the loss check, is named as the first divergence, and the"
            + " report is still written")
    void nanInTheReferenceLoss() throws java.io.IOException {
        Side nanLoss = CorruptedSide.replacing(Wiring.STANDARD.reference(), "loss/loss", v -> v.dup().assign(Double.NaN));
        CaseResult r = new ParityHarness(Wiring.STANDARD.withReference(nanLoss)).run(ist597);
        assertThat(r.passed()).isFalse();
        assertThat(r.firstForward()).as(r.firstDivergence()).contains("loss");
        assertThat(r.checks()).filteredOn(c -> c.key().equals("loss/loss")).singleElement()
                .satisfies(c -> assertThat(c.comparison().message()).contains("NaN or Inf never matches"));
        assertThat(r.checks()).filteredOn(c -> !c.key().equals("loss/loss")).allMatch(c -> c.passed());
        java.nio.file.Path json = java.nio.file.Files.createTempFile("nan-report", ".json");
        ReportJson.write(new ParityReport(Map.of(), List.of(r), List.of(), List.of()), json);
        assertThat(java.nio.file.Files.list(json.getParent()).filter(p -> p.getFileName().toString().endsWith(".part")))
                .as("no temporary file left beside the report").isEmpty();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("passed").asBoolean())
                .isFalse();
    }

    @Test
    @DisplayName("a gradient of the wrong shape on the side under test fails that check by name; the other checks still run")
    void wronglyShapedGradient() {
        Side transposed = CorruptedSide.replacing(Wiring.STANDARD.tensorflow(), "gradient/dense/kernel",
                v -> v.transpose().dup());
        CaseResult r = new ParityHarness(Wiring.STANDARD.withTensorflow(transposed)).run(ist597);
        assertThat(r.firstBackward()).as(r.firstDivergence()).contains("dense/kernel");
        assertThat(r.checks()).filteredOn(c -> c.key().equals("gradient/dense/kernel")).singleElement()
                .satisfies(c -> assertThat(c.comparison().message()).contains("Shapes differ"));
        assertThat(r.checks()).filteredOn(c -> !c.key().equals("gradient/dense/kernel")).allMatch(c -> c.passed());
    }

    @Test
    @DisplayName("a tensor only the side under test traced is reported as not compared, and judges nothing")
    void oneSidedTensor() {
        Side extra = CorruptedSide.adding(Wiring.STANDARD.tensorflow(), "surplus",
                org.paritysuite.fixtures.run.TensorKind.ACTIVATION, org.nd4j.linalg.factory.Nd4j.ones(2));
        CaseResult r = new ParityHarness(Wiring.STANDARD.withTensorflow(extra)).run(ist597);
        assertThat(r.notCompared()).containsExactly("activation/surplus");
        assertThat(r.passed()).as("nothing to judge it against").isTrue();
        assertThat(r.checks()).noneMatch(c -> c.key().equals("activation/surplus"));
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
