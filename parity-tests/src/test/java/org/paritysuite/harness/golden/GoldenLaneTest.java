package org.paritysuite.harness.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.harness.cli.ParityCli;
import org.paritysuite.harness.run.CorruptedSide;
import org.paritysuite.harness.wiring.Wiring;

/**
 * The TensorFlow-free lane, as a user without TensorFlow runs it: {@code parity goldens --verify}
 * over every committed bundle in a JVM whose class path holds no TensorFlow jar and no
 * {@code tf-models} class. It must pass, and the JVM's class-loading log must show that no
 * TensorFlow class was loaded (none could be: a NoClassDefFoundError would end the run). And the
 * lane is worth running: a reference 1e-8 off (relative) in one float64 tensor fails it.
 */
@DisplayName("The golden lane runs the reference against every committed bundle without TensorFlow")
class GoldenLaneTest {

    /** The committed goldens, from the module's directory (Surefire's working directory). */
    static final Path GOLDENS = Path.of("..", "goldens");

    @Test
    @DisplayName("a class path without TensorFlow: every bundle passes and no TensorFlow class is loaded")
    void withoutTensorFlow(@TempDir Path dir) throws Exception {
        long bundles;
        try (var files = Files.list(GOLDENS)) {
            bundles = files.filter(p -> p.toString().endsWith(".npz")).count();
        }
        assertThat(bundles).as("committed bundles in %s", GOLDENS.toAbsolutePath()).isGreaterThan(0);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !isTensorFlow(entry)).collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("tensorflow");

        Path log = dir.resolve("classes.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xlog:class+load=info:file=" + log,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.bytedeco.javacpp.logger=slf4j",
                "-cp", classPath, ParityCli.class.getName(),
                "goldens", "--verify", GOLDENS.toAbsolutePath().toString(), "--threads", "2");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().putAll(Map.of("OMP_NUM_THREADS", "1"));
        Process child = builder.start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the lane ended within 5 minutes").isTrue();
        String out = Files.readString(dir.resolve("out"));
        String err = Files.readString(dir.resolve("err"));

        assertThat(child.exitValue()).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(ParityCli.PASSED);
        assertThat(out).contains("GOLDENS OK: " + bundles + " of " + bundles + " bundles");
        List<String> tensorflowClasses = Files.readAllLines(log).stream()
                .filter(l -> l.contains(" org.tensorflow.") || l.contains(" org.paritysuite.tf.")).toList();
        assertThat(tensorflowClasses).as("TensorFlow classes the lane loaded").isEmpty();
        assertThat(Files.readString(log)).as("the log records class loading at all")
                .contains("org.paritysuite.reference.ReferenceModel");
    }

    @Test
    @DisplayName("a reference off by 1e-8 relative in one float64 gradient fails the lane, naming that gradient only")
    void catchesAReferenceDefect() {
        Path file = GOLDENS.resolve("ist597-mlp-dropout.float64.npz");
        GoldenBundle bundle = GoldenBundle.read(file);
        Side reference = CorruptedSide.scaling(Wiring.ReferenceOnly.SIDES.reference(), "gradient/dense_1/kernel", 1 + 1e-8);

        GoldenLane.Verified verified = GoldenLane.verify(bundle, Goldens.rebuild(bundle, file), reference, file);

        assertThat(verified.passed()).isFalse();
        assertThat(verified.checks()).filteredOn(c -> !c.passed()).extracting(GoldenCheck::key)
                .containsExactly("gradient/dense_1/kernel");
    }

    /** TensorFlow Java's jars (core API, its natives, the framework) and the tf-models module. */
    private static boolean isTensorFlow(String entry) {
        String path = entry.replace(File.separatorChar, '/');
        return path.contains("tensorflow") || path.contains("/tf-models/");
    }
}
