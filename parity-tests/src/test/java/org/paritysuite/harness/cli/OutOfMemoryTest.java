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
 * Running out of memory is a failure of the run, said in one line, not a stack trace: the bound on
 * the process's resident size ({@code parity.maxResidentBytes}, which {@code ./parity} sets; see
 * {@code ResidentMemoryBound}) throws an {@link OutOfMemoryError} when collections cannot bring the
 * process under it, and a worker thread's error reaches the command line through
 * {@code Concurrently}. A bound that is no size is bad input.
 */
@DisplayName("Out of memory")
class OutOfMemoryTest {

    @Test
    @DisplayName("a run over its memory bound ends with one 'parity: out of memory' line and exit 1")
    void oneLineAndExitOne(@TempDir Path dir) throws Exception {
        // 64 MB is below what the JVM and TensorFlow's libraries alone occupy: the first ND4J operation fails.
        Process child = ProcessKillTest.start(dir, List.of("-Xmx512m", "-Dparity.maxResidentBytes=64m",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"), ProcessKillTest.verify(dir.resolve("report.json")));
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ends").isTrue();
        List<String> err = Files.readAllLines(dir.resolve("child.err")).stream()
                .filter(line -> line.startsWith("parity:") || line.contains("Exception") || line.startsWith("\tat "))
                .toList();

        assertThat(child.exitValue()).as("exit status; standard error: %s", err).isEqualTo(ParityCli.FAILED);
        assertThat(err).as("the error lines").hasSize(1);
        assertThat(err.get(0)).startsWith("parity: out of memory: ").contains("over its bound of 64 MB")
                .contains("PARITY_JAVA_OPTS");
        assertThat(dir.resolve("report.json")).as("no report from a failed run").doesNotExist();
    }

    @Test
    @DisplayName("a bound that is no size ends with one line naming the setting, and exit 2")
    void badBoundIsBadInput(@TempDir Path dir) throws Exception {
        Process child = ProcessKillTest.start(dir, List.of("-Xmx512m", "-Dparity.maxResidentBytes=lots"),
                ProcessKillTest.verify(dir.resolve("report.json")));
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ends").isTrue();
        List<String> err = Files.readAllLines(dir.resolve("child.err"));

        assertThat(child.exitValue()).as("exit status; standard error: %s", err).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(err).as("standard error").containsExactly("parity: -Dparity.maxResidentBytes=lots: expected a"
                + " size in bytes such as 2800m or 3g, or 0 for no bound");
    }
}
