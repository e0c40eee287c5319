package org.paritysuite.harness.training;

import org.paritysuite.harness.wiring.Wiring;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;

/**
 * Where TensorFlow Java departs from the published algorithm, the reference does not follow it:
 * the suite reports the divergence on the TensorFlow side. Each test pins a known defect as it is
 * today, so it fails (and the entry can go) the day TensorFlow Java fixes it. Evidence and
 * reproducers: {@code docs/tensorflow-side.md}, "Optimizer steps" and "tensorflow-framework's own APIs".
 */
@Tag("parity")
@DisplayName("Known TensorFlow-side divergences in training")
class KnownDivergencesTest {

    @Test
    @DisplayName("tensorflow-framework's Nadam (1.0.0, 1.1.0) freezes its schedule at t = 1: in float64 step 1 is off by"
            + " its float32 schedule constants only (< 1e-9 absolute on updates of about 1e-3), step 2 by far more (> 1e-5)")
    void nadamFrozenSchedule() {
        ModelSpec spec = RunPlan.retrained(ModelZoo.load("ist597-mlp"), ModelZoo.load("ist597-mlp").training().batchSize(), "nadam",
                Map.of("learning_rate", 0.001));
        List<StepResult> steps = TrajectoryHarness.run(Wiring.STANDARD, spec,
                GlorotUniform.initialise(spec, spec.training().seed()), ImageSource.SHIPPED, Dataset.FASHION_MNIST,
                Precision.FLOAT64, 2);
        assertThat(worstWeightError(steps.get(0))).as("step 1, worst absolute weight difference").isLessThan(1e-9);
        assertThat(worstWeightError(steps.get(1))).as("step 2, worst absolute weight difference")
                .isGreaterThan(1e-5);
    }

    /** The greatest absolute difference of any updated weight (not slot) of a step. */
    private static double worstWeightError(StepResult step) {
        return step.checks().stream()
                .filter(c -> c.kind() == TensorKind.WEIGHT && c.tensor().split("/").length == 2)
                .mapToDouble(c -> c.comparison().maxAbsError()).max().orElseThrow();
    }

    @Test
    @DisplayName("tensorflow-framework's Adam (1.0.0, 1.1.0) beta-power race still reproduces, so the TensorFlow side keeps"
            + " its OrderedAdam workaround and every report lists the defect as reproducing")
    void adamRaceWorkedAround() {
        KnownDefect adam = KnownDefect.of("adam").orElseThrow();
        assertThat(adam.handling()).isEqualTo(KnownDefect.Handling.WORKED_AROUND);
        assertThat(adam.reproducesNow(Wiring.STANDARD)).as("FrameworkAdamRace; when false, drop OrderedAdam and this entry")
                .contains(true);
        assertThat(KnownDefectStatus.check(Wiring.STANDARD, List.of())).filteredOn(s -> s.defect() == adam)
                .singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("reproduces"));
    }

    @Test
    @DisplayName("every known defect not judged by its trajectories has a live reproducer wired, and each reproduces today")
    void everyLiveReproducerReproduces() {
        List<KnownDefect> live = KnownDefect.ALL.stream()
                .filter(d -> d.handling() != KnownDefect.Handling.DIVERGES).toList();

        assertThat(live).as("the defects checked live").hasSizeGreaterThan(1);
        for (KnownDefect d : live) {
            assertThat(d.reproducesNow(Wiring.STANDARD)).as("%s: its reproducer in Wiring.STANDARD; when false,"
                    + " TensorFlow Java fixed it: check by hand, then drop the entry and any workaround", d.subject())
                    .contains(true);
        }
    }

    @Test
    @DisplayName("a nadam trajectory that no longer diverges is reported as FIXED? and fails the run")
    void fixedNadamFails() {
        ModelSpec spec = RunPlan.retrained(ModelZoo.load("ist597-mlp"), ModelZoo.load("ist597-mlp").training().batchSize(), "nadam", Map.of());
        TrajectoryCase t = new TrajectoryCase(spec, Dataset.FASHION_MNIST, Precision.FLOAT64, 1);
        TrajectoryCase.Outcome fixed = new TrajectoryCase.Outcome(t, Verdict.FIXED,
                java.util.Optional.empty(), 0.1, 0, java.util.Optional.empty(), 0, List.of(), "", List.of(), List.of(), 1);
        assertThat(KnownDefectStatus.check(Wiring.STANDARD, List.of(fixed))).filteredOn(s -> s.defect().name().equals("nadam"))
                .singleElement().satisfies(s -> assertThat(s.ok()).as("a fixed known defect fails the run").isFalse());
    }
}
