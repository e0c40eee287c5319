package org.paritysuite.harness.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.spec.LayerSpec;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.wiring.Wiring;
import org.paritysuite.reference.ReferenceModel;
import org.paritysuite.reference.WeightLayout;

/**
 * A wrong reference, the classic port bug of {@code FlattenPermutationTest}: the first dense kernel
 * after the flatten copied without permuting its rows from TensorFlow's {@code [H, W, C]} order to
 * the reference's {@code [C, H, W]}. The reduction must keep that dense layer and drop what does not
 * take part in the fault; a convolution has to stay in front of the flatten, since the input image has
 * one channel, whose two flatten orders are the same.
 *
 * <p>In the {@code slow} profile ({@code mvn -Pslow test -Dtest=ReduceWrongReferenceTest}): it takes
 * about 50 s on two cores (ds541-cnn-a's wide dense kernel is rebuilt for every candidate), and the
 * default run already reduces an injected fault in the same model ({@code ReduceInjectedFaultTest}).
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("parity reduce on a reference that forgets the flatten permutation")
class ReduceWrongReferenceTest {

    private Shrinker.Reduction reduction;

    @BeforeAll
    void reduce() {
        Side naivePort = (spec, weights, precision) ->
                ReferenceModel.build(spec, weights, precision, WeightLayout.Mode.NAIVE_FLATTEN);
        reduction = new Shrinker(Wiring.STANDARD.withReference(naivePort), line -> { }).reduce(Reproducer.of(
                CaseFactory.zooCase("ds541-cnn-a", Dataset.FASHION_MNIST, Precision.FLOAT64, true, 4)));
    }

    @Test
    @DisplayName("blames the dense layer after the flatten, and keeps it")
    void keepsTheFaultyLayer() {
        assertThat(reduction.signature().forwardCulprit()).as("%s", reduction.signature()).contains("dense");
        assertThat(names()).as("moves %s", reduction.moves()).contains("dense");
    }

    @Test
    @DisplayName("drops the dropouts, the poolings and one of the two convolutions, down to one example")
    void dropsTheRest() {
        List<String> names = names();
        assertThat(names).as("moves %s", reduction.moves())
                .doesNotContain("dropout", "dropout_1", "dropout_2", "max_pooling2d", "max_pooling2d_1");
        assertThat(reduction.reduced().spec().layers()).filteredOn(LayerSpec::isConvolution)
                .as("convolutions left; moves %s", reduction.moves()).hasSize(1);
        assertThat(names).as("a convolution, the flatten, the culprit and the output layer").hasSize(4);
        assertThat(reduction.reduced().size().examples()).isEqualTo(1);
    }

    private List<String> names() {
        return reduction.reduced().spec().layers().stream().map(LayerSpec::name).toList();
    }
}
