package org.paritysuite.harness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two reports side by side: errors matched by case id and tensor, summarised per kind and
 * precision, verdict changes and cases run by one report only listed, known defects before and after.
 */
@DisplayName("ReportDrift: two verify reports side by side")
class ReportDriftTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode report(String version, double denseError, boolean passed, String adamStatus)
            throws Exception {
        return JSON.readTree(("""
                {"environment": {"tensorflow_java": "%s"},
                 "cases": [
                   {"id": "m/mnist/float64/training", "precision": "float64", "passed": %s, "checks": [
                     {"kind": "activation", "tensor": "dense", "scaled_error": %s},
                     {"kind": "loss", "tensor": "loss", "scaled_error": 1e-16}]},
                   {"id": "only-%s/mnist/float64/training", "precision": "float64", "passed": true, "checks": []}],
                 "trajectories": [
                   {"id": "m/mnist/adam/float64", "optimizer": "adam", "precision": "float64", "verdict": "PASS",
                    "final_weight_divergence": 1e-15, "step_errors": [{"step": 1, "judged": 2e-16, "drift": 0}]}],
                 "known_defects": [{"optimizer": "adam", "status": "%s"}]}
                """).formatted(version, passed, denseError, version, adamStatus));
    }

    @Test
    @DisplayName("each tensor's error before and after, matched by case id and tensor")
    void matchesTensors() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 2e-16, true, "reproduces"),
                report("1.1.0", 8e-16, true, "reproduces"));

        assertThat(drift.tensors()).filteredOn(t -> t.tensor().equals("dense")).singleElement()
                .satisfies(t -> assertThat(t.ratio()).as("the dense error grew 4x").isEqualTo(4.0));
        assertThat(drift.summarise(t -> t.kind() + " " + t.precision()).get("activation float64"))
                .satisfies(s -> assertThat(List.of(s.before(), s.after())).containsExactly(2e-16, 8e-16));
        assertThat(drift.mostChanged(1)).extracting(ReportDrift.TensorDrift::tensor).containsExactly("dense");
    }

    @Test
    @DisplayName("an error of 0 and one of a single rounding are the same finding, not an infinite change")
    void errorsBelowOneRounding() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 0, true, "reproduces"),
                report("1.1.0", 1e-16, true, "reproduces"));

        assertThat(drift.tensors()).filteredOn(t -> t.tensor().equals("dense")).singleElement()
                .satisfies(t -> assertThat(t.ratio()).as("0 -> 1e-16, both at most one float64 rounding (1.1e-16)")
                        .isEqualTo(1.0));
    }

    @Test
    @DisplayName("trajectories summed up per optimizer and precision, counting those that changed")
    void perOptimizer() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 2e-16, true, "reproduces"),
                report("1.1.0", 2e-16, true, "reproduces"));

        assertThat(drift.perOptimizer()).containsOnlyKeys("adam float64").extractingByKey("adam float64")
                .satisfies(o -> assertThat(List.of(o.trajectories(), o.changed())).as("one trajectory, unchanged")
                        .containsExactly(1, 0));
        assertThat(drift.mostChanged(10)).as("no tensor changed, so none is listed as most changed").isEmpty();
    }

    @Test
    @DisplayName("a changed verdict and a case only one report ran are listed")
    void listsChangedVerdicts() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 2e-16, true, "reproduces"),
                report("1.1.0", 2e-16, false, "reproduces"));

        assertThat(drift.verdicts()).containsExactly("m/mnist/float64/training: PASS -> FAIL",
                "only-1.0.0/mnist/float64/training: only in the earlier report",
                "only-1.1.0/mnist/float64/training: only in the later report");
    }

    @Test
    @DisplayName("each known defect's status under each version")
    void knownDefects() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 2e-16, true, "reproduces"),
                report("1.1.0", 2e-16, true, "FIXED?"));

        assertThat(drift.knownDefects()).containsEntry("adam", new ReportDrift.DefectStatus("reproduces", "FIXED?"));
    }

    @Test
    @DisplayName("each trajectory's greatest judged error and final divergence before and after")
    void trajectories() throws Exception {
        ReportDrift drift = ReportDrift.of(report("1.0.0", 2e-16, true, "reproduces"),
                report("1.1.0", 2e-16, true, "reproduces"));

        assertThat(drift.trajectories()).singleElement().satisfies(t -> {
            assertThat(t.optimizer()).isEqualTo("adam");
            assertThat(List.of(t.judgedBefore(), t.judgedAfter(), t.partedBefore(), t.partedAfter()))
                    .containsExactly(2e-16, 2e-16, 1e-15, 1e-15);
        });
    }
}
