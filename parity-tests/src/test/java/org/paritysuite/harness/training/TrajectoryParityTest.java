package org.paritysuite.harness.training;

import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.harness.compare.TensorCheck;

/**
 * Twenty minibatch steps of ist597-mlp on Fashion-MNIST, TensorFlow's optimizer against the
 * reference's hand-written update rule: after every step the loss, the gradients, the weights and
 * the optimizer slots agree within the step's tolerance (the single-pass policy times
 * {@code sqrt(t)}, {@link StepTolerance}).
 */
@Tag("parity")
@DisplayName("Training trajectories, TensorFlow's optimizers against the reference's")
class TrajectoryParityTest {

    static final int STEPS = 20;

    private static final Map<String, TrajectoryHarness.Twins> TWINS = new java.util.concurrent.ConcurrentHashMap<>();

    static Stream<Arguments> optimizers() {
        return Stream.of(
                        Arguments.of("sgd", Map.of("learning_rate", 0.1)),
                        Arguments.of("momentum", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                        Arguments.of("nesterov", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                        Arguments.of("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9)),
                        Arguments.of("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9, "momentum", 0.5,
                                "centered", 1.0)),
                        Arguments.of("adagrad", Map.of("learning_rate", 0.05)),
                        Arguments.of("adam", Map.of("learning_rate", 0.001)))
                .flatMap(a -> Stream.of(Precision.FLOAT64, Precision.FLOAT32)
                        .map(p -> Arguments.of(a.get()[0], a.get()[1], p)));
    }

    @ParameterizedTest(name = "{0} {1}, {2}: every step's loss, gradients, weights and slots match")
    @MethodSource("optimizers")
    void lockstep(String optimizer, Map<String, Double> hyperparameters, Precision precision) {
        ModelSpec spec = RunPlan.retrained(ModelZoo.load("ist597-mlp"), ModelZoo.load("ist597-mlp").training().batchSize(), optimizer, hyperparameters);
        // Both precisions train together (the float64 run referees the float32 one), once per optimizer.
        TrajectoryHarness.Twins twins = TWINS.computeIfAbsent(optimizer + hyperparameters, k -> TrajectoryHarness
                .runTwins(Wiring.STANDARD, spec, GlorotUniform.initialise(spec, spec.training().seed()),
                        Dataset.FASHION_MNIST, STEPS));
        List<StepResult> steps = precision == Precision.FLOAT64 ? twins.float64() : twins.float32();
        assertThat(steps).hasSize(STEPS);
        for (StepResult s : steps) {
            assertThat(s.checks()).as("step %d compared the weights and slots", s.step())
                    .anyMatch(c -> c.kind() == org.paritysuite.fixtures.run.TensorKind.WEIGHT);
            List<TensorCheck> failing = s.checks().stream().filter(c -> !c.passed()).toList();
            assertThat(failing).withFailMessage(() -> optimizer + " " + precision + ": step " + s.step() + " ("
                    + s.batch() + ") diverged\n\n" + failing.stream().map(c -> c.comparison().message())
                    .collect(Collectors.joining("\n\n"))).isEmpty();
        }
    }
}
