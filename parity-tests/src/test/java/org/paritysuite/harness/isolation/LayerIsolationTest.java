package org.paritysuite.harness.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.harness.reduce.InjectedFault;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;

/**
 * Per-layer isolation blames the layer whose own computation is wrong. TensorFlow is given a fault
 * inside one middle layer ({@link InjectedFault}: a kernel scaled by {@code 1 + 1e-6}, far above the
 * float64 tolerance); every layer after it is then fed wrong values. Isolation must name the
 * faulty layer, forward and backward, and clear the layers that only inherited its error.
 */
@DisplayName("Per-layer isolation")
class LayerIsolationTest {

    /** A relative fault far above the float64 tolerance (1e-10) and invisible to the eye. */
    private static final double FAULT = 1 + 1e-6;

    /** Enough examples for every layer's statistics, few enough to keep the CNN cases quick. */
    private static final int BATCH = 8;

    /** Each faulty run once, for all the tests that look at it. */
    private static final Map<String, CaseResult> RUNS = new ConcurrentHashMap<>();

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("fmnist17-2-1", "dense_4", "dense_5"),
                Arguments.of("ds541-cnn-a", "conv2d_1", "max_pooling2d_1"),
                Arguments.of("ds541-cnn-a", "dense", "dropout_2"));
    }

    private static CaseResult runWithFault(String model, String layer) {
        return RUNS.computeIfAbsent(model + "/" + layer, k -> new ParityHarness(Wiring.STANDARD.withTensorflow(
                new InjectedFault(layer + "/kernel", FAULT).wrap(Wiring.STANDARD.tensorflow()))).run(zooCase(model)));
    }

    private static ParityCase zooCase(String model) {
        return CaseFactory.zooCase(model, Dataset.FASHION_MNIST, Precision.FLOAT64, true, BATCH);
    }

    @ParameterizedTest(name = "{0}: a fault in {1} is blamed on {1}, forward and backward")
    @MethodSource("faults")
    void blamesTheFaultyLayer(String model, String layer, String next) {
        CaseResult r = runWithFault(model, layer);
        assertThat(r.passed()).as("a kernel off by 1e-6 fails float64 parity").isFalse();
        assertThat(r.isolation()).as("a failing case is isolated").isPresent();
        assertThat(r.forwardCulprit()).as("forward culprit; %s", r.firstDivergence()).contains(layer);
        assertThat(r.backwardCulprit()).as("backward culprit; %s", r.firstDivergence()).contains(layer);
        assertThat(r.firstDivergence()).startsWith(layer + " (forward, local)");
    }

    @ParameterizedTest(name = "{0}: {2}, fed by the faulty {1}, inherits the error and adds none")
    @MethodSource("faults")
    void clearsTheLayerAfterIt(String model, String layer, String next) {
        LayerErrors after = runWithFault(model, layer).isolation().orElseThrow().of(next).orElseThrow();
        assertThat(after.inheritedForward()).as("%s's input comes from the faulty %s", next, layer)
                .hasValueSatisfying(cmp -> assertThat(cmp.passed()).isFalse());
        assertThat(after.localForward().passed()).as("%s run on the reference's input: %s", next,
                after.localForward().message()).isTrue();
        assertThat(after.localBackwardFails()).as("%s's own backward pass", next).isFalse();
    }

    @Test
    @DisplayName("fmnist17-2-1: the whole-model check walks down from the loss and names an innocent gradient;"
            + " isolation names the faulty layer")
    void wholeModelCheckAloneBlamesAnInnocentLayer() {
        CaseResult r = runWithFault("fmnist17-2-1", "dense_4");
        assertThat(r.firstBackward()).as("the first gradient outside tolerance from the loss down")
                .hasValueSatisfying(g -> assertThat(g).doesNotStartWith("dense_4/"));
        assertThat(r.backwardCulprit()).contains("dense_4");
    }

    @Nested
    @DisplayName("on a case that passes")
    class Passing {

        @Test
        @DisplayName("is run only when asked, and then every layer's local and inherited errors pass")
        void everyLayerWithinTolerance() {
            CaseResult result = new ParityHarness(Wiring.STANDARD, true).run(zooCase("ds541-cnn-a"));
            assertThat(result.passed()).isTrue();
            List<LayerErrors> layers = result.isolation().orElseThrow().layers();
            assertThat(layers).hasSize(10);
            for (LayerErrors l : layers) {
                assertThat(l.localForward().passed()).as(l.localForward().message()).isTrue();
                assertThat(l.worstLocalBackward().passed()).as(l.worstLocalBackward().message()).isTrue();
                l.inheritedForward().ifPresent(cmp -> assertThat(cmp.passed()).as(cmp.message()).isTrue());
                l.inheritedBackward().ifPresent(cmp -> assertThat(cmp.passed()).as(cmp.message()).isTrue());
            }
            assertThat(result.forwardCulprit()).isEmpty();
            assertThat(result.backwardCulprit()).isEmpty();
        }

        @Test
        @DisplayName("is not run for a passing case unless asked")
        void notRunUnlessAsked() {
            CaseResult plain = new ParityHarness(Wiring.STANDARD).run(zooCase("ist597-mlp"));
            assertThat(plain.isolation()).isEmpty();
        }
    }
}
