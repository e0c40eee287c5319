package org.paritysuite.harness.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.DataSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;

/**
 * A known float64 difference that {@code parity fuzz} found (docs/fuzzing.md, "What the fuzzer
 * found"), pinned as it is so that the test fails the day it changes: tensorflow-framework's
 * {@code KLDivergence} clips the model output at {@code Losses.EPSILON = 1e-7f}, which a float64
 * graph widens to {@code 1.0000000116860974e-7}, while the reference clips at Keras's float64
 * {@code 1e-7}. docs/tensorflow-side.md measured the difference on clipped zero labels (about
 * {@code 1e-14} in the loss); a labelled class whose output lies below the bound contributes
 * {@code -log(bound)} instead, and the two bounds' logarithms differ by {@code 1.17e-8}: past the
 * float64 tolerance ({@code 1e-10} relative) for a loss of about 10.
 *
 * <p>The model: two inputs, a linear dense layer with the identity kernel (so the output is the
 * input), the KL divergence. Two of the three examples put their labelled class below zero.
 */
@Tag("parity")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("KL divergence below its clip bound: TensorFlow Java clips at 1e-7f in float64, the reference at 1e-7")
class KlClipBoundTest {

    static final ModelSpec SPEC = new ModelSpec("kl-clip", "a linear output that goes below the KL clip bound",
            List.of(2), 2, List.of(new DenseSpec("dense", 2, Activation.LINEAR, false, 0)),
            LossSpec.KL_DIVERGENCE, DataSpec.DEFAULT, new TrainingSpec(1, 3, "sgd", Map.of()));

    /** Outputs (= inputs) and labels: examples 0 and 2 put their labelled class at -1 and -0.5, below the bound. */
    static final double[][] X = {{-1, 0.5}, {0.25, 0.5}, {-0.5, -0.5}};
    static final double[][] Y = {{1, 0}, {1, 0}, {0, 1}};
    static final int CLIPPED = 2;

    private ParityHarness.Traces traces;
    private CaseResult result;

    @BeforeAll
    void run() {
        WeightSet weights = WeightSet.of(Map.of("dense/kernel", Nd4j.eye(2)));
        ParityCase c = new ParityCase(SPEC, "crafted", Precision.FLOAT64, weights,
                Batch.fromRows(X, Y, SPEC.inputShape(), "outputs below the clip bound"));
        traces = new ParityHarness(Wiring.STANDARD).trace(c);
        result = ParityHarness.judge(c, traces);
    }

    @Test
    @DisplayName("the outputs agree exactly: the difference starts at the loss")
    void outputsAgree() {
        assertThat(result.checks().stream().filter(k -> k.kind() == TensorKind.PROBS)).allMatch(TensorCheck::passed);
        assertThat(result.firstDivergence()).startsWith("loss (forward)");
    }

    @Test
    @DisplayName("the float64 loss differs by log(1e-7 / (double) 1e-7f) per clipped example, past the tolerance")
    void lossDiffersByTheBounds() {
        double perClippedExample = Math.log(LossSpec.KERAS_EPSILON / (double) 1e-7f);
        double difference = traces.tensorflow().loss() - traces.reference().loss();
        assertThat(difference).isCloseTo(CLIPPED * perClippedExample / X.length,
                org.assertj.core.data.Offset.offset(1e-13));
        assertThat(result.passed()).as("the float64 case passes").isFalse();
    }
}
