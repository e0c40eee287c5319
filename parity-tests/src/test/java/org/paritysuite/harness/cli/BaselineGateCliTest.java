package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.harness.baseline.CommittedBaseline;

/**
 * The error gate as a CI job sees it: {@code parity verify --baseline FILE} passes against the
 * committed baseline, and fails with a per-tensor line when one error is 4x its baseline while
 * still far inside its tolerance. fmnist17-1-4's float64 loss is the zoo's largest float64 error
 * (about 530 roundings of its scale), so a quarter of it is still above the rule's floor of 4
 * roundings and the 4x is judged against the baseline itself.
 */
@DisplayName("parity verify --baseline: the error gate from the command line")
class BaselineGateCliTest {

    private static final String CASE = "fmnist17-1-4/mnist/float64/training";
    private static final String[] RUN = {"verify", "--model", "fmnist17-1-4", "--dataset", "mnist",
        "--precision", "float64"};

    private static String[] with(String... more) {
        String[] args = new String[RUN.length + more.length];
        System.arraycopy(RUN, 0, args, 0, RUN.length);
        System.arraycopy(more, 0, args, RUN.length, more.length);
        return args;
    }

    @Test
    @DisplayName("the committed baseline passes, and the verdict line says no error grew")
    void committedBaselinePasses() {
        CliRun r = CliRun.of(with("--baseline", CommittedBaseline.FILE.toString()));

        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("none grew beyond it", "PARITY OK", "0 errors grew beyond the baseline");
    }

    @Test
    @DisplayName("an error 4x its baseline fails the run (exit 1), named with both errors and the ratio")
    void fourfoldGrowthFails(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode baseline = json.readTree(CommittedBaseline.FILE.toFile());
        ObjectNode loss = (ObjectNode) baseline.path("cases").path(CASE).path("tensors").path("loss/loss");
        loss.put("max_abs_error", loss.path("max_abs_error").asDouble() / 4);
        Path quartered = dir.resolve("quartered.json");
        json.writeValue(quartered.toFile(), baseline);

        CliRun r = CliRun.of(with("--baseline", quartered.toString()));

        assertThat(r.status()).as("a 4x growth fails the gate although every tolerance passes:%n%s", r.out())
                .isEqualTo(1);
        assertThat(r.out()).as("every tensor is inside its tolerance").doesNotContain(" FAIL ")
                .contains(CASE + " loss/loss: error", "4.00x, more than the 3x allowed", "PARITY FAILED",
                        "1 errors grew beyond the baseline");
    }
}
