package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.framework.losses.CategoricalCrossentropy;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

@DisplayName("LossGraph: the loss pieces TensorFlow computes")
class LossGraphTest {

    private static final double[][] LABELS = {{1, 0, 0}, {0, 0, 1}};
    private static final double[][] LOGITS = {{2.5, -1.0, 0.25}, {-3.0, 0.5, 1.75}};

    /** Runs {@code op} in a fresh float64 graph and returns its scalar value. */
    private static double evaluate(java.util.function.Function<Ops, Operand<TFloat64>> op) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Operand<TFloat64> out = op.apply(Ops.create(graph));
            try (Result result = session.runner().fetch(out).run()) {
                return ((TFloat64) result.get(0)).getDouble();
            }
        }
    }

    @Nested
    @DisplayName("float64 cross-entropy from logits")
    class CrossEntropy {

        @Test
        @DisplayName("equals tensorflow-framework's fused CategoricalCrossentropy(fromLogits=true) to rounding")
        void matchesFrameworkLoss() {
            double ours = evaluate(tf -> LossGraph.crossEntropyFromLogits(tf, tf.constant(LABELS), tf.constant(LOGITS)));
            double framework = evaluate(tf -> new CategoricalCrossentropy(true, 0f, Reduction.SUM_OVER_BATCH_SIZE)
                    .call(tf, tf.constant(LABELS), tf.constant(LOGITS)));

            assertThat(ours).isCloseTo(framework, within(1e-15));
        }

        @Test
        @DisplayName("NOTE: the fused op's C++ gradient fails in float64 (a -1.0f constant), which is why it is not used there")
        void fusedGradientFailsInFloat64() {
            try (Graph graph = new Graph()) {
                Ops tf = Ops.create(graph);
                Operand<TFloat64> logits = tf.variable(tf.constant(LOGITS));
                Operand<TFloat64> loss = new CategoricalCrossentropy(true, 0f, Reduction.SUM_OVER_BATCH_SIZE)
                        .call(tf, tf.constant(LABELS), tf.identity(logits));

                // If this starts passing, TensorFlow fixed nn_grad.cc and float64 can use the framework loss too.
                assertThatThrownBy(() -> tf.gradients(loss, List.of(logits)))
                        .isInstanceOf(TFInvalidArgumentException.class)
                        .hasMessageContaining("DT_DOUBLE vs. DT_FLOAT");
            }
        }
    }

    @Nested
    @DisplayName("L2 penalty")
    class L2Penalty {

        private static final double[][] W = {{0.5, -1.5}, {2.0, 0.25}};
        private static final double SUM_OF_SQUARES = 0.25 + 2.25 + 4.0 + 0.0625;

        @Test
        @DisplayName("is lambda * sum(W^2) with lambda in float64")
        void kerasFormula() {
            double penalty = evaluate(tf -> LossGraph.l2Penalty(tf, tf.constant(W), 0.1, TFloat64.class));

            assertThat(penalty).isEqualTo(0.1 * SUM_OF_SQUARES);
        }
    }
}
