package org.paritysuite.harness.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Sides;
import org.paritysuite.harness.wiring.Wiring;

/**
 * A fault planted in one convolution of ds541-cnn-a ({@code conv2d_1/kernel} times {@code 1 + 1e-6},
 * far above the float64 tolerance) is reduced to the smallest case the spec format can hold around
 * it: that convolution, the flatten a dense layer needs, and the output layer, on one example.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("parity reduce on a fault injected into TensorFlow's conv2d_1")
class ReduceInjectedFaultTest {

    private static final InjectedFault FAULT = new InjectedFault("conv2d_1/kernel", 1 + 1e-6);

    private static final Sides FAULTY = Wiring.STANDARD.withTensorflow(FAULT.wrap(Wiring.STANDARD.tensorflow()));

    /** Few examples keep the CNN's float64 runs quick; the bisection still has three halvings to make. */
    private static final int BATCH = 8;

    private Shrinker.Reduction reduction;

    @BeforeAll
    void reduce() {
        reduction = new Shrinker(FAULTY, line -> { }).reduce(Reproducer.of(
                CaseFactory.zooCase("ds541-cnn-a", Dataset.FASHION_MNIST, Precision.FLOAT64, true, BATCH)));
    }

    @Test
    @DisplayName("names conv2d_1 as the culprit, forward and backward, to begin with")
    void signature() {
        assertThat(reduction.signature().forwardCulprit()).as("%s", reduction.signature()).contains("conv2d_1");
        assertThat(reduction.signature().backwardCulprit()).as("%s", reduction.signature()).contains("conv2d_1");
    }

    @Test
    @DisplayName("ends at one example and at most two layers that compute with weights, conv2d_1 one of them")
    void smallest() {
        Reproducer.Size size = reduction.reduced().size();
        assertThat(size.examples()).as("examples left; moves %s", reduction.moves()).isEqualTo(1);
        assertThat(size.layersWithParameters()).as("layers with parameters; moves %s", reduction.moves())
                .isLessThanOrEqualTo(2);
        // A convolution's image output reaches a dense output layer only through a flatten: the spec
        // format's minimum around a convolution is three layers.
        assertThat(size.layers()).as("layers; moves %s", reduction.moves()).isLessThanOrEqualTo(3);
        assertThat(reduction.reduced().spec().layers()).extracting(LayerSpec::name).as("the faulty layer is kept")
                .contains("conv2d_1");
    }

    @Test
    @DisplayName("the reproducer, run again from scratch, fails the same way")
    void reproduces() {
        Optional<FailureSignature> again = FailureSignature.of(new ParityHarness(FAULTY).run(reduction.reduced().toCase()));
        assertThat(again).as("the reduced case run on its own").contains(reduction.signature());
    }

    @Test
    @DisplayName("counts every run: the case, then every candidate, at least one per move taken")
    void countsRuns() {
        assertThat(reduction.runs()).as("runs; moves %s", reduction.moves())
                .isGreaterThan(reduction.moves().size());
        assertThat(reduction.moves().get(0)).as("the first move halves the batch").contains("the first 4 of 8 examples");
    }
}
