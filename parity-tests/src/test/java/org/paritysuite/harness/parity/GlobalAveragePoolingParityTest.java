package org.paritysuite.harness.parity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.Activation;
import org.paritysuite.fixtures.spec.Conv2DSpec;
import org.paritysuite.fixtures.spec.DataSpec;
import org.paritysuite.fixtures.spec.DenseSpec;
import org.paritysuite.fixtures.spec.GlobalAveragePooling2DSpec;
import org.paritysuite.fixtures.spec.LossSpec;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.Padding;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.spec.Pool2DSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.spec.Window2D;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.wiring.Wiring;

/**
 * A small CNN that ends in global average pooling instead of a flatten (not a zoo model: the zoo
 * holds the models of the course reports), at its seeded Glorot-uniform weights on the first
 * Fashion-MNIST test batch, in float64 and float32: TensorFlow Java's {@code Mean} and the
 * reference's {@code GlobalAvgPool2D} agree on every activation, the output, the loss and every
 * gradient.
 */
@Tag("parity")
@DisplayName("Global average pooling parity, TensorFlow Java against the reference")
class GlobalAveragePoolingParityTest {

    /**
     * conv 3x3 valid relu (8) -> max pool 2x2 -> conv 3x3 same relu (16) -> global average pooling
     * of [13, 13, 16] -> dense softmax (10); batch 32.
     */
    static final ModelSpec SPEC = new ModelSpec("gap-cnn", "a small CNN ending in global average pooling",
            List.of(28, 28, 1), 10, List.of(
                    new Conv2DSpec("conv2d", 8, new Window2D(3, 3, 1, 1, Padding.VALID), Activation.RELU, true, 0),
                    new Pool2DSpec("max_pooling2d", Pool2DSpec.Kind.MAX, new Window2D(2, 2, 2, 2, Padding.VALID)),
                    new Conv2DSpec("conv2d_1", 16, new Window2D(3, 3, 1, 1, Padding.SAME), Activation.RELU, true, 0),
                    new GlobalAveragePooling2DSpec("global_average_pooling2d"),
                    new DenseSpec("dense", 10, Activation.SOFTMAX, true, 0)),
            LossSpec.CATEGORICAL_CROSSENTROPY, DataSpec.DEFAULT, new TrainingSpec(7, 32, "adam", Map.of()));

    private static final Map<Precision, CaseResult> RESULTS = new ConcurrentHashMap<>();

    /** The case in {@code precision}, run once per JVM and shared by the tests of its quantities. */
    private static CaseResult result(Precision precision) {
        return RESULTS.computeIfAbsent(precision, p -> new ParityHarness(Wiring.STANDARD).run(CaseFactory.of(SPEC,
                GlorotUniform.initialise(SPEC, SPEC.training().seed()), Dataset.FASHION_MNIST, p, true)));
    }

    @Nested
    @DisplayName("forward pass")
    class Forward {

        @ParameterizedTest(name = "{0}: every hidden layer's output matches, the pooled channel means included")
        @EnumSource(Precision.class)
        void activations(Precision precision) {
            ParityAssertions.assertAllClose(result(precision), TensorKind.ACTIVATION, SPEC.layers().size() - 1);
        }

        @ParameterizedTest(name = "{0}: the output probabilities match")
        @EnumSource(Precision.class)
        void probabilities(Precision precision) {
            ParityAssertions.assertAllClose(result(precision), TensorKind.PROBS, 1);
        }

        @ParameterizedTest(name = "{0}: the loss matches")
        @EnumSource(Precision.class)
        void loss(Precision precision) {
            ParityAssertions.assertAllClose(result(precision), TensorKind.LOSS, 1);
        }
    }

    @Nested
    @DisplayName("backward pass")
    class Backward {

        @ParameterizedTest(name = "{0}: every parameter's gradient matches, through the pooling's shares")
        @EnumSource(Precision.class)
        void gradients(Precision precision) {
            ParityAssertions.assertAllClose(result(precision), TensorKind.GRADIENT,
                    (int) SPEC.parameters().stream().filter(ParameterSpec::trainable).count());
        }
    }
}
