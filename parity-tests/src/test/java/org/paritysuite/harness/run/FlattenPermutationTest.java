package org.paritysuite.harness.run;

import org.paritysuite.fixtures.run.Side;
import org.paritysuite.harness.wiring.Wiring;
import org.paritysuite.harness.compare.TensorCheck;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.reference.ReferenceModel;
import org.paritysuite.reference.WeightLayout;

/**
 * The classic port bug: copying a Keras CNN's weights into an NCHW implementation without
 * permuting the rows of the first dense kernel after the flatten. TensorFlow flattens
 * {@code [H, W, C]} as {@code (h W + w) C + c}, an NCHW reference as {@code (c H + h) W + w}; every
 * tensor before the flatten still agrees, so the check must name that dense layer.
 */
@Tag("parity")
@DisplayName("A weight copy that forgets the flatten permutation")
class FlattenPermutationTest {

    @Test
    @DisplayName("fails parity and names the first dense layer after the flatten as the first divergence")
    void caughtAndLocalised() {
        ParityCase c = CaseFactory.zooCase("ds541-cnn-a", Dataset.FASHION_MNIST, Precision.FLOAT64);
        Side naivePort = (spec, weights, precision) ->
                ReferenceModel.build(spec, weights, precision, WeightLayout.Mode.NAIVE_FLATTEN);
        CaseResult r = new ParityHarness(Wiring.STANDARD.withReference(naivePort)).run(c);
        assertThat(r.passed()).as("parity must fail for a naive copy").isFalse();
        assertThat(r.firstForward()).as(r.firstDivergence()).contains("dense");
        assertThat(r.checks()).filteredOn(t -> t.tensor().equals("flatten"))
                .singleElement().extracting(TensorCheck::passed).as("everything up to the flatten still agrees")
                .isEqualTo(true);
    }
}
