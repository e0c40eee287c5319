package org.paritysuite.harness.run;

import org.paritysuite.fixtures.run.Side;
import org.paritysuite.harness.wiring.Wiring;
import org.paritysuite.harness.compare.Blame;
import org.paritysuite.harness.compare.TensorCheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;

@DisplayName("The float64 referee")
class BlameTest {

    private static INDArray vector(double... v) {
        return Nd4j.create(v, new long[] {v.length}, 'c');
    }

    @Test
    @DisplayName("blames the side more than twice as far from the float64 result")
    void blamesTheFurtherSide() {
        Blame blame = Blame.of(vector(1.0, 2.0 + 4e-7), vector(1.0, 2.0 + 1e-7), vector(1.0, 2.0));
        assertThat(blame.verdict()).isEqualTo("tensorflow");
        assertThat(Blame.of(vector(1.0), vector(1.0 + 1e-6), vector(1.0)).verdict()).isEqualTo("reference");
    }

    @Test
    @DisplayName("blames neither when both are about as far")
    void neither() {
        assertThat(Blame.of(vector(1 + 2e-7), vector(1 - 3e-7), vector(1)).verdict()).isEqualTo("neither");
    }

    @Test
    @DisplayName("in a float32 case, names TensorFlow when its gradient is pushed away from the truth")
    void float32CaseBlamesTheCorruptedSide() {
        ParityCase c = CaseFactory.zooCase("ist597-mlp", Dataset.FASHION_MNIST, Precision.FLOAT32);
        Side corrupted = CorruptedSide.scaling(Wiring.STANDARD.tensorflow(), "gradient/dense/kernel", 1 + 1e-3);
        CaseResult r = new ParityHarness(Wiring.STANDARD.withTensorflow(corrupted)).run(c);
        TensorCheck check = r.checks().stream().filter(t -> t.tensor().equals("dense/kernel")).findFirst().orElseThrow();
        assertThat(check.passed()).isFalse();
        assertThat(check.blame().verdict()).as(check.blame().toString()).isEqualTo("tensorflow");
    }
}
