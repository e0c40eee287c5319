package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/drop-native-noise.pl}, the filter {@code ./parity} puts on its standard error:
 * it drops exactly TensorFlow's two native start-up lines and passes everything else through,
 * partial lines (a progress bar's carriage returns) included.
 */
@DisplayName("./parity's filter of native start-up noise")
class NativeNoiseFilterTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "drop-native-noise.pl");

    private static String filter(String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("perl", SCRIPT.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the filter ends at end of input").isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    @DisplayName("drops abseil's warning and the MLIR pass line, whole, and nothing else")
    void dropsTheTwoLines() throws Exception {
        String input = "[1/2] a PASS\n"
                + "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                + "I0000 00:00:1796193316.240129    1850 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization"
                + " pass is not enabled\n"
                + "I0000 00:00:1796193316.240129    1850 other.cc:1] another message\n"
                + "WARNING: something else\n"
                + "parity: unknown model 'x'\n";
        assertThat(filter(input)).isEqualTo("[1/2] a PASS\n"
                + "I0000 00:00:1796193316.240129    1850 other.cc:1] another message\n"
                + "WARNING: something else\n"
                + "parity: unknown model 'x'\n");
    }

    @Test
    @DisplayName("passes a progress bar's carriage returns and a last line without a newline")
    void keepsPartialLines() throws Exception {
        assertThat(filter("epoch 1 [##  ] 50%\repoch 1 [####] 100%\nIn the end")).isEqualTo(
                "epoch 1 [##  ] 50%\repoch 1 [####] 100%\nIn the end");
    }
}
