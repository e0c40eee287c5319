package org.paritysuite.harness.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.baseline.BaselineGate;
import org.paritysuite.harness.baseline.CommittedBaseline;
import org.paritysuite.harness.baseline.ErrorBaseline;
import org.paritysuite.harness.baseline.Growth;
import org.paritysuite.harness.baseline.GrowthRule;
import org.paritysuite.harness.parity.ParityResults.Mode;
import org.paritysuite.harness.run.CaseResult;

/**
 * The regression gate of the default test run: every zoo case the parity suites compute has errors
 * within the growth rule of the committed baseline ({@code baselines/zoo.json}), so an error that
 * grows while it stays inside its tolerance fails {@code mvn test}. Uses the same case results as
 * the other parity suites (computed once per JVM).
 */
@Tag("parity")
@DisplayName("Error baseline: no zoo case's error grew beyond the committed baseline")
class ErrorBaselineTest {

    /**
     * The parity suites' cases that the main job runs, which is what the baseline holds: an inference
     * pass only for a model that has one of its own (dropout or batch normalization).
     */
    static Stream<Arguments> cases() {
        return Stream.concat(ParityResults.layeredCases().filter(a -> a.get()[3] == Mode.TRAINING
                        || ModelZoo.load((String) a.get()[0]).hasInferenceMode()),
                ParityResults.mlpCases().map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], Mode.TRAINING)));
    }

    @ParameterizedTest(name = "{0} on {1}, {2}, {3}: every gated error within the committed baseline's growth rule")
    @MethodSource("cases")
    void withinBaseline(String model, Dataset dataset, Precision precision, Mode mode) {
        CaseResult result = ParityResults.of(model, dataset, precision, mode);
        ErrorBaseline.CaseErrors recorded = CommittedBaseline.zoo().cases().get(result.id());

        assertThat(recorded).withFailMessage("%s has no entry: record the baseline again (scripts/record-baseline.sh)",
                result.id()).isNotNull();
        assertThat(recorded.fingerprint()).as("%s was recorded from the same spec, weights and batch; if the zoo"
                + " changed on purpose, record the baseline again (scripts/record-baseline.sh)", result.id())
                .isEqualTo(result.fingerprint());
        List<Growth> grown = BaselineGate.compareCase(result, recorded).stream().filter(g -> !g.passed()).toList();
        assertThat(grown).withFailMessage(() -> "errors grew beyond " + CommittedBaseline.FILE + " ("
                + GrowthRule.describe() + "):\n" + grown.stream().map(Growth::describe)
                .collect(Collectors.joining("\n"))).isEmpty();
    }
}
