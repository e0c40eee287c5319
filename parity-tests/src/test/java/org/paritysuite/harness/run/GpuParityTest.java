package org.paritysuite.harness.run;

import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.tf.GpuSupport;

/**
 * TensorFlow on a GPU against the reference: run with {@code mvn -Pgpu test} on a machine with an
 * NVIDIA device (the GPU build places the ops on the GPU by itself). Elsewhere it skips, saying
 * why ({@link GpuSupport#unavailableReason()}).
 */
@Tag("gpu")
@DisplayName("GPU parity")
class GpuParityTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Precision.class)
    @DisplayName("TensorFlow on the GPU matches the reference on ist597-mlp and ds541-cnn-a")
    void gpuMatchesReference(Precision precision) {
        Optional<String> unavailable = GpuSupport.unavailableReason();
        // Skipped, not failed, where no GPU run is possible: the reason is the skip message.
        assumeTrue(unavailable.isEmpty(), () -> "GPU parity skipped: " + unavailable.orElse(""));
        for (String model : new String[] {"ist597-mlp", "ds541-cnn-a"}) {
            CaseResult r = new ParityHarness(Wiring.STANDARD).run(CaseFactory.zooCase(model, Dataset.FASHION_MNIST, precision));
            assertThat(r.passed()).as("%s: first divergence %s", r.displayName(), r.firstDivergence()).isTrue();
        }
    }
}
