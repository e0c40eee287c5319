package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parity goldens} with TensorFlow: recording is deterministic, and TensorFlow run again
 * reproduces the committed bundles' tensors within the error baseline's growth rule
 * ({@code --check}), on two small models to stay fast (the whole zoo: docs/goldens.md).
 */
@DisplayName("parity goldens with TensorFlow: --check and --out")
class GoldenCheckTest {

    static final Path GOLDENS = GoldensCommandTest.GOLDENS;

    @Test
    @DisplayName("--check: TensorFlow reproduces two committed models' tensors within the growth rule")
    void check() {
        CliRun r = CliRun.of("goldens", "--check", GOLDENS.toString(), "--model", "cs172-linear",
                "--model", "ist597-mlp-dropout");
        assertThat(r.status()).as("%s%n%s", r.out(), r.err()).isEqualTo(ParityCli.PASSED);
        assertThat(r.out()).contains("GOLDENS OK: 4 of 4");
    }

    @Test
    @DisplayName("--out: recording twice gives the same bytes, which --verify passes")
    void deterministic(@TempDir Path dir) throws IOException {
        for (String run : new String[] {"a", "b"}) {
            CliRun r = CliRun.of("goldens", "--out", dir.resolve(run).toString(), "--model", "cs172-linear");
            assertThat(r.status()).as("%s%n%s", r.out(), r.err()).isEqualTo(ParityCli.PASSED);
        }
        for (String name : new String[] {"cs172-linear.float32.npz", "cs172-linear.float64.npz"}) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(name)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(name)));
        }
        assertThat(CliRun.of("goldens", "--verify", dir.resolve("a").toString()).status()).isEqualTo(ParityCli.PASSED);
    }
}
