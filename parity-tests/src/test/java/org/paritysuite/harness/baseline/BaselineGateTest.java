package org.paritysuite.harness.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.CorruptedSide;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;

/**
 * The gate's two promises on a real case (ist597-mlp, MNIST, float64): run-to-run noise never
 * fails it, and an error grown 4x while still far inside its tolerance always does, naming the
 * tensor with both errors and their ratio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Error baseline gate on ist597-mlp / mnist / float64")
class BaselineGateTest {

    private static final String KEY = "gradient/dense/kernel";
    private static final Path FILE = Path.of("recorded.json");

    private final ParityCase parityCase = CaseFactory.zooCase("ist597-mlp", Dataset.MNIST, Precision.FLOAT64);
    private ErrorBaseline.CaseErrors recorded;

    @BeforeAll
    void record() {
        recorded = ErrorBaseline.errorsOf(new ParityHarness(Wiring.STANDARD).run(parityCase));
    }

    @Test
    @DisplayName("a second run measures the same errors to the last bit: every ratio is exactly 1 or below the floor, the gate passes")
    void runToRunNoisePasses() {
        CaseResult again = new ParityHarness(Wiring.STANDARD).run(parityCase);
        List<Growth> growths = BaselineGate.compareCase(again, recorded);

        assertThat(growths).as("one growth per tensor of the case").hasSize(again.checks().size());
        assertThat(growths).allSatisfy(g -> assertThat(g.current())
                .as("%s: the same case on the same machine computes the same error", g.what())
                .isEqualTo(g.baseline()));
        assertThat(growths).as("run-to-run noise never fails the gate").allMatch(Growth::passed);
    }

    @Test
    @DisplayName("a gradient error grown 4x, still inside its tolerance, fails the gate with both errors and the ratio")
    void fourfoldGrowthInsideToleranceFails() {
        ErrorBaseline.TensorError before = recorded.tensors().get(KEY);
        double reference = GrowthRule.reference(before.scaledError(), Precision.FLOAT64);
        // Moving TensorFlow's largest element by 5x the reference error leaves an error between 4x and 6x it there:
        // the recorded error at that element is at most the reference.
        double shift = 5 * reference * before.scale();
        ParityHarness grown = new ParityHarness(Wiring.STANDARD.withTensorflow(CorruptedSide.replacing(
                Wiring.STANDARD.tensorflow(), KEY, value -> shiftLargest(value, shift))));

        CaseResult result = grown.run(parityCase);
        Growth growth = BaselineGate.compareCase(result, recorded).stream().filter(g -> g.what().equals(KEY))
                .findFirst().orElseThrow();

        TensorCheck check = result.checks().stream().filter(c -> c.key().equals(KEY)).findFirst().orElseThrow();
        assertThat(check.passed()).as("the grown error is still inside its tolerance: only the baseline can see it")
                .isTrue();
        assertThat(growth.ratio()).as("growth over the baseline (or the floor)").isBetween(4.0, 6.0);
        assertThat(growth.passed()).as("a 4x growth is beyond the %sx the rule allows", GrowthRule.FACTOR).isFalse();
        assertThat(growth.describe()).as("the report line names the case, the tensor, both errors and the ratio")
                .contains("ist597-mlp/mnist/float64/training", KEY, "baseline", "more than the 3x allowed");
    }

    @Test
    @DisplayName("every other tensor of the grown run stays within the rule: the gate names the one tensor that grew")
    void onlyTheGrownTensorFails() {
        double shift = 5 * GrowthRule.reference(recorded.tensors().get(KEY).scaledError(), Precision.FLOAT64)
                * recorded.tensors().get(KEY).scale();
        CaseResult result = new ParityHarness(Wiring.STANDARD.withTensorflow(CorruptedSide.replacing(
                Wiring.STANDARD.tensorflow(), KEY, value -> shiftLargest(value, shift)))).run(parityCase);

        assertThat(BaselineGate.compareCase(result, recorded)).filteredOn(g -> !g.passed())
                .extracting(Growth::what).containsExactly(KEY);
    }

    @Test
    @DisplayName("a tensor missing from the baseline, or from the run, fails the gate")
    void missingTensorsFail() {
        ErrorBaseline.CaseErrors fewer = new ErrorBaseline.CaseErrors(recorded.fingerprint(), recorded.precision(),
                recorded.tensors().entrySet().stream().filter(e -> !e.getKey().equals(KEY))
                        .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                                java.util.Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new)));
        CaseResult again = new ParityHarness(Wiring.STANDARD).run(parityCase);

        assertThat(BaselineGate.compareCase(again, fewer)).filteredOn(g -> !g.passed()).singleElement()
                .satisfies(g -> assertThat(g.describe()).contains(KEY, "not in the baseline"));
    }

    /** The tensor with {@code shift} added to its element of largest magnitude. */
    private static INDArray shiftLargest(INDArray value, double shift) {
        INDArray flat = value.dup('c').reshape(value.length());
        long at = Transforms.abs(flat, true).argMax().getLong(0);
        flat.putScalar(at, flat.getDouble(at) + shift);
        return flat.reshape(value.shape());
    }
}
