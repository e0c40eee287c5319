package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a JVM of its own, started without the test JVM's {@code -Dopexec}, runs
 * ND4J through {@code FencedOpExecutioner}: {@code ParityCli.main} installs it before anything
 * touches ND4J, and the report's environment names it.
 */
class FencedExecutionerCliTest {

    @Test
    @DisplayName("parity verify reports nd4j_executioner FencedOpExecutioner")
    void commandLineRunsTheFencedExecutioner(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Process child = ProcessKillTest.start(dir, List.of("-Xmx512m"), ProcessKillTest.verify(json));
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the run ended within 2 minutes").isTrue();
        assertThat(child.exitValue()).as("exit status; stderr:%n%s", Files.readString(dir.resolve("child.err")))
                .isEqualTo(ParityCli.PASSED);
        String executioner = new ObjectMapper().readTree(json.toFile()).path("environment").path("nd4j_executioner")
                .asText();
        assertThat(executioner).as("environment.nd4j_executioner of the report").isEqualTo("FencedOpExecutioner");
    }
}
