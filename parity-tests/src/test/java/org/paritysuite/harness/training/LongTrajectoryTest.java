package org.paritysuite.harness.training;

import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelZoo;

/**
 * The long trajectories: 100 lockstep steps in float64 of every zoo model with its own
 * training block, and of ist597-mlp with every optimizer, each within the float64 step tolerance
 * (relative 1e-10 times {@code sqrt(t)}, so 1e-9 at step 100) at every step, known defects as
 * they are listed. Hours of CPU for the whole zoo on two cores: {@code mvn -B test -Pslow}.
 */
@Tag("slow")
@Tag("parity")
@DisplayName("100-step float64 trajectories")
class LongTrajectoryTest {

    static final int STEPS = 100;

    static Stream<TrajectoryCase> trajectories() {
        List<TrajectoryCase> own = TrajectoryCase.ownTraining(ModelZoo.ids().stream().map(ModelZoo::load).toList(),
                List.of(), List.of(Precision.FLOAT64), STEPS);
        List<TrajectoryCase> every = TrajectoryCase.everyOptimizer(ModelZoo.load("ist597-mlp"), Dataset.FASHION_MNIST,
                List.of(Precision.FLOAT64), STEPS);
        return Stream.concat(every.stream(), own.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trajectories")
    @DisplayName("every step within tolerance, or diverging exactly as its known defect says")
    void withinTolerance(TrajectoryCase trajectory) {
        TrajectoryCase.Outcome o = trajectory.run(Wiring.STANDARD);
        assertThat(o.passed()).as("%s %s on %s: %s at %s%n%s", trajectory.spec().name(), trajectory.optimizerLabel(),
                trajectory.dataset().id(), o.verdict(), o.firstFailingStep().map(s -> "step " + s).orElse("-"),
                o.detail()).isTrue();
    }
}
