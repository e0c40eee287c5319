package org.paritysuite.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;

/**
 * Which failing cases the harness isolates on its own: those whose layer-by-layer passes fit
 * {@link ParityHarness#AUTOMATIC_ISOLATION_BYTES}. A run whose CNN cases all failed once ended in
 * "out of memory" instead of its report, isolating them beside the rest of the run.
 */
@DisplayName("The memory budget of automatic isolation")
class IsolationBudgetTest {

    @ParameterizedTest(name = "{0} at batch {2} in {1}: isolated automatically = {3}")
    @CsvSource({
            "ist597-mlp, FLOAT64, 64, true",
            "fmnist17-2-1, FLOAT64, 64, true",
            "ds541-cnn-a, FLOAT64, 8, true",
            "ds541-cnn-a, FLOAT32, 64, false",
            "ds541-cnn-a, FLOAT64, 64, false"})
    void fitsTheBudget(String model, Precision precision, int batch, boolean isolated) {
        ParityCase c = CaseFactory.zooCase(model, Dataset.FASHION_MNIST, precision, true, batch);
        assertThat(ParityHarness.isolationBytes(c) <= ParityHarness.AUTOMATIC_ISOLATION_BYTES)
                .as("%s: about %,d MB against the budget of %,d MB", c.spec().name(),
                        ParityHarness.isolationBytes(c) >> 20, ParityHarness.AUTOMATIC_ISOLATION_BYTES >> 20)
                .isEqualTo(isolated);
    }
}
