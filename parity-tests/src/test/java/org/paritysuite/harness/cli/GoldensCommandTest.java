package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.golden.GoldenBundle;

/**
 * {@code parity goldens --verify} on copies of the committed bundles: what the lane refuses (exit
 * 2, one line naming the file and what was expected) and what it fails (exit 1, naming the
 * tensor). {@link GoldenCheckTest} holds the checks that run TensorFlow.
 */
@DisplayName("parity goldens --verify")
class GoldensCommandTest {

    static final Path GOLDENS = Path.of("..", "goldens");
    static final String BUNDLE = "ist597-mlp.float32.npz";

    /** A copy of the committed bundle {@code name} in {@code dir}, rewritten with {@code edit}. */
    static Path edited(Path dir, String name, java.util.function.UnaryOperator<GoldenBundle> edit) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, edit.apply(GoldenBundle.read(GOLDENS.resolve(name))).toBytes());
        return file;
    }

    /** {@code b} with another fingerprint. */
    static GoldenBundle withFingerprint(GoldenBundle b, String fingerprint) {
        return new GoldenBundle(b.caseId(), b.model(), b.dataset(), b.precision(), b.training(), b.batchSize(),
                fingerprint, b.environment(), b.spec(), b.arrays());
    }

    /** {@code b} recorded for another spec: that of the zoo model {@code other}. */
    static GoldenBundle withSpecOf(GoldenBundle b, String other) {
        return new GoldenBundle(b.caseId(), b.model(), b.dataset(), b.precision(), b.training(), b.batchSize(),
                b.fingerprint(), b.environment(), ModelZoo.load(other), b.arrays());
    }

    @Test
    @DisplayName("passes on an unchanged copy, and writes --json")
    void unchanged(@TempDir Path dir) throws IOException {
        edited(dir, BUNDLE, b -> b);
        CliRun r = CliRun.of("goldens", "--verify", dir.toString(), "--json", dir.resolve("lane.json").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.PASSED);
        assertThat(r.out()).contains("PASS ist597-mlp/mnist/float32/training").contains("GOLDENS OK: 1 of 1");
        assertThat(Files.readString(dir.resolve("lane.json"))).contains("\"lane\" : \"verify\"")
                .doesNotContain("tensorflow_java");
    }

    @Test
    @DisplayName("fails, naming the tensor, when one element of TensorFlow's recorded gradient is changed")
    void tamperedTensor(@TempDir Path dir) throws IOException {
        edited(dir, BUNDLE, b -> {
            Map<String, GoldenBundle.Stored> arrays = new LinkedHashMap<>(b.arrays());
            GoldenBundle.Stored g = arrays.get("tf/gradient/dense/kernel");
            INDArray kept = g.kept().dup();
            kept.putScalar(3, kept.getDouble(3) + 1e-3 * g.maxAbs());
            arrays.put("tf/gradient/dense/kernel", new GoldenBundle.Stored(g.shape(), kept, g.maxAbs(), g.error()));
            return new GoldenBundle(b.caseId(), b.model(), b.dataset(), b.precision(), b.training(), b.batchSize(),
                    b.fingerprint(), b.environment(), b.spec(), arrays);
        });
        CliRun r = CliRun.of("goldens", "--verify", dir.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.FAILED);
        assertThat(r.out()).contains("FAIL ist597-mlp/mnist/float32/training")
                .contains("Tensors are not close!  (gradient/dense/kernel (flat elements 0, 197, 394, ...), float32)")
                .contains("Mismatched elements: 1 / 510").contains("GOLDENS FAILED: 0 of 1");
    }

    @Test
    @DisplayName("refuses a truncated bundle: exit 2, one line naming the file")
    void truncated(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(GOLDENS.resolve(BUNDLE));
        Files.write(dir.resolve(BUNDLE), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(dir, BUNDLE);
    }

    @Test
    @DisplayName("refuses a bundle recorded for another spec (another zoo version)")
    void anotherSpec(@TempDir Path dir) throws IOException {
        edited(dir, BUNDLE, b -> withSpecOf(b, "ist597-mlp-l2"));
        assertThat(assertRefused(dir, BUNDLE)).contains("spec.npy: recorded for another spec of ist597-mlp");
    }

    @Test
    @DisplayName("refuses a bundle recorded for another case (its fingerprint)")
    void anotherFingerprint(@TempDir Path dir) throws IOException {
        edited(dir, BUNDLE, b -> withFingerprint(b, "0".repeat(64)));
        assertThat(assertRefused(dir, BUNDLE)).contains("meta case.fingerprint: recorded for another case");
    }

    private String assertRefused(Path dir, String file) {
        CliRun r = CliRun.of("goldens", "--verify", dir.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("parity: ").contains(file).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        return r.err();
    }
}
