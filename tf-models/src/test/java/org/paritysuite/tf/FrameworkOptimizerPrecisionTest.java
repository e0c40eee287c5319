package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.paritysuite.tf.FetchedVariableAliasing.G;
import static org.paritysuite.tf.FetchedVariableAliasing.LATER_STEPS;
import static org.paritysuite.tf.FetchedVariableAliasing.LEARNING_RATE;
import static org.paritysuite.tf.FetchedVariableAliasing.W;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tensorflow-framework's optimizers in float64 graphs, on {@code W} with the constant gradient {@code G}:
 * <ul>
 *   <li>The hyperparameters are {@code float}s (the constructors take {@code float}), cast to the variable's type
 *       when the update is built ({@code GradientDescent.applyDense}: {@code cast(constant(learningRate),
 *       gradient.type())}). Keras 3 does the same at its default {@code floatx = float32} (its learning rate is a
 *       {@code floatx} variable, cast to the variable's dtype), so this is what a Keras user gets too, not the exact
 *       float64 update.</li>
 *   <li>A fetched variable's {@code Tensor} is the variable's buffer, not a snapshot ({@link FetchedVariableAliasing}).</li>
 * </ul>
 */
@DisplayName("tensorflow-framework's optimizers in float64 graphs")
class FrameworkOptimizerPrecisionTest {

    @Test
    @DisplayName("PASS (as Keras 3 at floatx float32): GradientDescent(0.1f) in float64 steps by (double) 0.1f bit for bit, 1.49e-8 relative off the exact 0.1")
    void learningRateIsTheFloatCastToDouble() {
        // As fetched, before any later step: the value after exactly one step.
        double[] stepped = FetchedVariableAliasing.readings(true).asFetched();

        for (int i = 0; i < W.length; i++) {
            double asFloat = W[i] - G[i] * (double) LEARNING_RATE;
            double exact = W[i] - G[i] * 0.1;
            assertThat(stepped[i]).as("w[%d] after one step: w - g * (double) 0.1f = %s (the exact float64 update %s)",
                    i, asFloat, exact).isEqualTo(asFloat).isNotEqualTo(exact);
        }
    }

    @ParameterizedTest(name = "through its Identity read: {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("KNOWN DEFECT (hazard): a fetched variable Tensor shares the variable's buffer: read after 3 more steps it holds step 4's weights")
    void fetchedTensorFollowsTheVariable(boolean throughRead) {
        FetchedVariableAliasing.Readings r = FetchedVariableAliasing.readings(throughRead);
        double[] afterFour = new double[W.length];
        for (int i = 0; i < W.length; i++) {
            afterFour[i] = W[i];
            for (int step = 0; step < 1 + LATER_STEPS; step++) {
                afterFour[i] -= G[i] * (double) LEARNING_RATE;
            }
        }

        assertThat(r.afterLaterSteps()).as("the tensor fetched after step 1, read again after %d more steps (as fetched:"
                        + " %s); the hazard is gone if it still reads as fetched", LATER_STEPS, Arrays.toString(r.asFetched()))
                .containsExactly(afterFour);
        assertThat(FetchedVariableAliasing.reproduces()).as("the live reproducer parity verify reports").isTrue();
    }
}
