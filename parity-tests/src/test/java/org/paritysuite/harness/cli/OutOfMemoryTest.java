package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory is a failure of the run, said in one line, not a stack trace: javacpp
 * throws an {@link OutOfMemoryError} when the process stays over its resident-size bound
 * ({@code maxPhysicalBytes}, which {@code ./parity} sets), and a worker thread's error reaches the
 * command line through {@code Concurrently}.
 */
@DisplayName("Out of memory")
class OutOfMemoryTest {

    @Test
    @DisplayName("a run over javacpp's memory bound ends with one 'parity: out of memory' line and exit 1")
    void oneLineAndExitOne(@TempDir Path dir) throws Exception {
        // 64 MB is below what the JVM and TensorFlow's libraries alone occupy: the first native allocation fails.
        Process child = ProcessKillTest.start(dir, List.of("-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=64m",
                "-Dorg.bytedeco.javacpp.maxRetries=1"), ProcessKillTest.verify(dir.resolve("report.json")));
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ends").isTrue();
        List<String> err = Files.readAllLines(dir.resolve("child.err")).stream()
                .filter(line -> line.startsWith("parity:") || line.contains("Exception") || line.startsWith("\tat "))
                .toList();

        assertThat(child.exitValue()).as("exit status; standard error: %s", err).isEqualTo(ParityCli.FAILED);
        assertThat(err).as("the error lines").hasSize(1);
        assertThat(err.get(0)).startsWith("parity: out of memory: ").contains("PARITY_JAVA_OPTS");
        assertThat(dir.resolve("report.json")).as("no report from a failed run").doesNotExist();
    }
}
