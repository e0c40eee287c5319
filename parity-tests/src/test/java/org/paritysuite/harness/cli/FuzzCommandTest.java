package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity fuzz} end to end, in-process, on a few seeds. */
@Tag("parity")
@DisplayName("parity fuzz")
class FuzzCommandTest {

    @Test
    @DisplayName("three passing seeds: a line per model on stderr, the tally and the coverage on stdout, exit 0")
    void passingSeeds(@TempDir Path dir) throws IOException {
        Path bundles = dir.resolve("bundles");
        CliRun r = CliRun.of("fuzz", "--count", "3", "--seed", "0", "--out", bundles.toString());
        assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(ParityCli.PASSED);
        assertThat(r.err().lines()).containsExactly(
                "fuzzing 3 generated model(s), seeds 0 to 2, in float64, on "
                        + Math.min(VerifyCommand.MAX_DEFAULT_THREADS, Runtime.getRuntime().availableProcessors())
                        + " thread(s)",
                "[1/3] seed 0: [2, 4, 1] dropout > conv2d > global_average_pooling2d > dense > activation;"
                        + " kl_divergence; batch 4, training: PASS",
                "[2/3] seed 1: [6, 3, 2] conv2d > dropout > global_average_pooling2d > activation > dense;"
                        + " categorical_crossentropy; batch 3, inference: PASS",
                "[3/3] seed 2: [30] dense > flatten > flatten > dense; kl_divergence; batch 4, training: PASS");
        assertThat(r.out()).startsWith("3 generated model(s), seeds 0 to 2: 3 passed, 0 failed, 0 vacuous")
                .contains("coverage of 3 model(s):", "(layer type, option) items: ", "distinct layer configurations: ")
                .doesNotContain("FAIL");
        assertThat(bundles).as("no bundle without a failure").doesNotExist();
    }

    @Test
    @DisplayName("float32 as well: each seed's two precisions run, and the line says so")
    void bothPrecisions() {
        CliRun r = CliRun.of("fuzz", "--count", "1", "--seed", "7", "--precision", "float64", "--precision", "float32");
        assertThat(r.err()).contains("in float64 and float32");
        assertThat(r.out()).contains("1 generated model(s), seeds 7 to 7: ");
    }

    @Test
    @DisplayName("--out refuses, before any model runs, a bundle directory in it that holds someone's files")
    void foreignBundleDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("fuzz-5-float64")).resolve("notes.txt"), "mine");
        CliRun r = CliRun.of("fuzz", "--count", "1", "--seed", "0", "--out", dir.toString());
        assertThat(r.status()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).startsWith("parity: --out ").contains("holds 'notes.txt'");
        assertThat(r.out()).isEmpty();
    }
}
