package org.paritysuite.harness.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.compare.TensorCheck;

/** Assertions over one kind of tensor in a case result, with every failure's full message. */
final class ParityAssertions {

    private ParityAssertions() {
    }

    /** Exactly {@code expected} tensors of {@code kind} were compared, and each is within its tolerance. */
    static void assertAllClose(CaseResult result, TensorKind kind, int expected) {
        List<TensorCheck> checks = result.checks().stream().filter(c -> c.kind() == kind).toList();
        assertThat(checks).as("%s: number of %s tensors compared", result.displayName(), kind.jsonName())
                .hasSize(expected);
        List<TensorCheck> failing = checks.stream().filter(c -> !c.passed()).toList();
        assertThat(failing)
                .withFailMessage(() -> result.displayName() + ": " + failing.size() + " of " + checks.size() + " "
                        + kind.jsonName() + " tensors differ; first divergence " + result.firstDivergence() + "\n\n"
                        + failing.stream().map(c -> c.comparison().message()).collect(Collectors.joining("\n\n")))
                .isEmpty();
    }
}
