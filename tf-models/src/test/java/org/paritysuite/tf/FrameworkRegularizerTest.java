package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.framework.regularizers.AbstractRegularizer;
import org.tensorflow.framework.regularizers.L2;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * tensorflow-framework's {@code L2} regularizer against Keras's {@code L2}: {@code l2 * sum(W^2)} (no 1/2), default
 * {@code l2 = 0.01}; the same as the spec's {@code kernel_l2} penalty, which the suite builds itself
 * ({@code LossGraph.l2Penalty}, {@code lambda} a constant of the graph's type).
 */
@DisplayName("tensorflow-framework's L2 regularizer against Keras's")
class FrameworkRegularizerTest {

    /** A conv-shaped kernel {@code [KH, KW, C, F] = [2, 2, 1, 2]}, values exact in float32. */
    private static final double[][][][] W = {{{{0.5, -1.5}}, {{2.0, 0.25}}}, {{{-0.75, 1.25}}, {{0.125, -3.0}}}};
    private static final double SUM_OF_SQUARES = Arrays.stream(W).flatMap(Arrays::stream).flatMap(Arrays::stream)
            .flatMapToDouble(Arrays::stream).map(w -> w * w).sum();

    @Test
    @DisplayName("PASS: the default l2 is Keras's 0.01 (as a float)")
    void defaultIsKeras() {
        assertThat(AbstractRegularizer.DEFAULT_REGULARIZATION_PENALTY).isEqualTo(0.01f);
        assertThat(new L2().getL2()).as("new L2()'s l2").isEqualTo(0.01f);
    }

    @Test
    @DisplayName("PASS: float32: l2 * sum(W^2), bit for bit the suite's kernel_l2 penalty; gradient 2 l2 W")
    void float32IsTheSpecPenalty() {
        List<double[]> out = GraphRun.fetch(tf -> {
            Operand<TFloat32> w = tf.dtypes.cast(tf.constant(W), TFloat32.class);
            Operand<TFloat32> framework = new L2(0.01f).call(tf, w);
            return List.of(framework, LossGraph.l2Penalty(tf, w, 0.01, TFloat32.class),
                    tf.gradients(framework, List.of(w)).dy(0));
        });

        assertThat(out.get(0)[0]).as("L2(0.01f) in float32 against LossGraph.l2Penalty(lambda = 0.01)")
                .isEqualTo(out.get(1)[0]);
        assertThat(out.get(0)[0]).as("L2(0.01f) in float32 against 0.01 * %s", SUM_OF_SQUARES)
                .isCloseTo(0.01 * SUM_OF_SQUARES, offset(1e-7 * 0.01 * SUM_OF_SQUARES));
        double[] flat = Arrays.stream(W).flatMap(Arrays::stream).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream)
                .toArray();
        for (int i = 0; i < flat.length; i++) {
            assertThat(out.get(2)[i]).as("d penalty / d W[%d], 2 * 0.01 * %s", i, flat[i])
                    .isCloseTo(2 * 0.01 * flat[i], offset(1e-7 * Math.abs(2 * 0.01 * flat[i])));
        }
    }

    @Test
    @DisplayName("KNOWN DIFFERENCE: float64: l2 is the float 0.01f, 2.2e-8 relative below Keras's 0.01 * sum(W^2)")
    void float64RoundsLambda() {
        List<double[]> out = GraphRun.fetch(tf -> {
            Operand<TFloat64> w = tf.constant(W);
            return List.of(new L2().call(tf, w), LossGraph.l2Penalty(tf, w, 0.01, TFloat64.class));
        });
        double framework = out.get(0)[0];
        double keras = 0.01 * SUM_OF_SQUARES;

        assertThat(framework).as("L2() in float64: (double) 0.01f * %s", SUM_OF_SQUARES)
                .isCloseTo((double) 0.01f * SUM_OF_SQUARES, offset(1e-15 * keras));
        assertThat((keras - framework) / keras).as("relative shortfall against Keras's 0.01 * sum(W^2)")
                .isCloseTo(1 - (double) 0.01f / 0.01, offset(1e-13));
        assertThat(out.get(1)[0]).as("the suite's own penalty keeps lambda in float64")
                .isCloseTo(keras, offset(1e-15 * keras));
        assertThat(FrameworkL2Lambda.roundsLambdaToFloatInFloat64()).as("the live reproducer parity verify reports")
                .isTrue();
    }
}
