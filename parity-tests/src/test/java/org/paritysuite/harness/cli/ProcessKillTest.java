package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * The real command line in its own JVM, killed while it writes: the target is afterwards absent,
 * the previous file, or a complete new one (JSON that parses, archives {@code Npz.read} opens, a
 * PNG that decodes), never a partial one; after SIGINT and SIGTERM no temporary is left either.
 *
 * <p>The default tests kill at the one moment that matters, found deterministically: the child
 * runs with {@value AtomicOutput#PAUSE_PROPERTY} so each temporary exists, empty, for a few
 * seconds, and the test polls until it appears. A JVM with TensorFlow takes several seconds to
 * start, so the default set is four cheap runs; {@link Randomized} (tag {@code slow}) kills every
 * command with every signal after random delays, without the pause.
 */
@DisplayName("A run killed while it writes leaves the old output or a complete new one, never a partial one")
class ProcessKillTest {

    /** How the test stops the child. */
    enum Signal {
        KILL, INT, TERM
    }

    private static final long PAUSE_MILLIS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cheapest run of each command that writes. */
    static List<String> verify(Path json) {
        return List.of("verify", "--model", "cs172-linear", "--dataset", "mnist", "--precision", "float64", "--steps", "0",
                "--threads", "1", "--json", json.toString());
    }

    static List<String> export(Path out) {
        return List.of("export", "--model", "cs172-linear", "--out", out.toString());
    }

    static List<String> train(Path dir) {
        return List.of("train", "--model", "cs172-linear", "--batch-size", "10", "--train-images", "20",
                "--test-images", "20", "--epochs", "1", "--plot", dir.resolve("plot.png").toString(),
                "--csv", dir.resolve("run.csv").toString(), "--json", dir.resolve("run.json").toString());
    }

    @ParameterizedTest(name = "SIG{0} while the report's temporary exists: the previous report is intact")
    @EnumSource(value = Signal.class, names = {"KILL", "TERM"})
    void verifyKeepsThePreviousReport(Signal signal, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Files.writeString(json, "{\"previous\": true}");
        Process child = start(dir, PAUSE_MILLIS, verify(json));
        awaitTemporary(dir, child);
        stop(child, signal);
        assertThat(Files.readString(json)).as("the report after SIG%s", signal).isEqualTo("{\"previous\": true}");
        assertNoTemporaryUnlessKilled(dir, signal);
    }

    @Test
    @DisplayName("SIGINT while the export is assembled: --out stays absent, no temporary directory is left")
    void exportIsAllOrNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("case");
        Process child = start(dir, PAUSE_MILLIS, export(out));
        awaitTemporary(dir, child);
        stop(child, Signal.INT);
        assertThat(out).as("--out after SIGINT").doesNotExist();
        assertNoTemporaryUnlessKilled(dir, Signal.INT);
    }

    @Test
    @DisplayName("SIGTERM while the plot's temporary exists: no plot, CSV or JSON, no temporary")
    void trainWritesNothingHalfway(@TempDir Path dir) throws Exception {
        Process child = start(dir, PAUSE_MILLIS, train(dir));
        awaitTemporary(dir, child);
        stop(child, Signal.TERM);
        for (String name : List.of("plot.png", "run.csv", "run.json")) {
            assertThat(dir.resolve(name)).as("%s after SIGTERM", name).doesNotExist();
        }
        assertNoTemporaryUnlessKilled(dir, Signal.TERM);
    }

    @Nested
    @Tag("slow")
    @DisplayName("killed after random delays (slow)")
    class Randomized {

        private final Random random = new Random(Long.getLong("kill.seed", 9));

        @ParameterizedTest(name = "verify --json, SIG{0}")
        @EnumSource(Signal.class)
        void verifyReport(Signal signal, @TempDir Path dir) throws Exception {
            Path json = dir.resolve("report.json");
            Files.writeString(json, "{\"previous\": true}");
            killSoon(dir, verify(json), signal);
            String text = Files.readString(json);
            if (!text.equals("{\"previous\": true}")) {
                assertThat(JSON.readTree(text).get("cases")).as("a complete new report").hasSize(1);
            }
            assertNoTemporaryUnlessKilled(dir, signal);
        }

        @ParameterizedTest(name = "export, SIG{0}")
        @EnumSource(Signal.class)
        void exportBundle(Signal signal, @TempDir Path dir) throws Exception {
            Path out = dir.resolve("case");
            killSoon(dir, export(out), signal);
            if (Files.exists(out)) {
                JSON.readTree(out.resolve("spec.json").toFile());
                for (String npz : List.of("weights.npz", "inputs.npz", "tf.npz", "reference.npz")) {
                    assertThat(Npz.read(out.resolve(npz))).as("%s of a complete export", npz).isNotEmpty();
                }
            }
            assertNoTemporaryUnlessKilled(dir, signal);
        }

        @ParameterizedTest(name = "train, SIG{0}")
        @EnumSource(Signal.class)
        void trainOutputs(Signal signal, @TempDir Path dir) throws Exception {
            killSoon(dir, train(dir), signal);
            if (Files.exists(dir.resolve("plot.png"))) {
                assertThat(ImageIO.read(dir.resolve("plot.png").toFile())).as("a complete plot").isNotNull();
            }
            if (Files.exists(dir.resolve("run.csv"))) {
                assertThat(Files.readAllLines(dir.resolve("run.csv"))).as("a complete CSV: header, 2 steps, 2 epochs")
                        .hasSize(5);
            }
            if (Files.exists(dir.resolve("run.json"))) {
                assertThat(JSON.readTree(dir.resolve("run.json").toFile()).get("runs")).as("a complete JSON").hasSize(1);
            }
            assertNoTemporaryUnlessKilled(dir, signal);
        }

        /** Starts the run and stops it after a random delay of up to its usual length (or lets it finish). */
        private void killSoon(Path dir, List<String> args, Signal signal) throws Exception {
            Process child = start(dir, 0, args);
            if (!child.waitFor(3000 + random.nextInt(12_000), TimeUnit.MILLISECONDS)) {
                stop(child, signal);
            }
        }
    }

    /** The CLI in a JVM of its own: the test JVM's java and class path, TensorFlow's environment, in {@code dir}. */
    static Process start(Path dir, long pauseMillis, List<String> args) throws IOException {
        return start(dir, List.of("-Xmx512m", "-D" + AtomicOutput.PAUSE_PROPERTY + "=" + pauseMillis), args);
    }

    /** As {@link #start(Path, long, List)}, with the given JVM options. */
    static Process start(Path dir, List<String> jvmOptions, List<String> args) throws IOException {
        return start(dir, jvmOptions, Map.of(), args);
    }

    /** As {@link #start(Path, List, List)}, with more environment variables. */
    static Process start(Path dir, List<String> jvmOptions, Map<String, String> environment, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.bytedeco.javacpp.logger=slf4j",
                "-cp", System.getProperty("java.class.path"), ParityCli.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("child.out").toFile()).redirectError(dir.resolve("child.err").toFile());
        builder.environment().putAll(Map.of("TF_DETERMINISTIC_OPS", "1", "TF_ENABLE_ONEDNN_OPTS", "0",
                "OMP_NUM_THREADS", "1", "TF_CPP_MIN_LOG_LEVEL", "2"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until a temporary appears beside the outputs in {@code dir}; fails if the child ends first. */
    static void awaitTemporary(Path dir, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (temporaries(dir).isEmpty()) {
            if (!child.isAlive()) {
                fail("the child ended (status %d) before writing; stderr: %s", child.exitValue(),
                        Files.readString(dir.resolve("child.err")));
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly().waitFor();
                fail("no temporary appeared in 120 s");
            }
            Thread.sleep(10);
        }
    }

    /** Sends the signal and waits for the child to end. */
    static void stop(Process child, Signal signal) throws Exception {
        if (signal == Signal.KILL) {
            child.destroyForcibly();
        } else {
            // A JVM started with SIGINT ignored (a background job of a shell without job control) keeps it ignored.
            Assumptions.assumeFalse(ignores(child.pid(), signal),
                    "the child inherited SIG" + signal + " ignored; the signal cannot be tested here");
            new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start().waitFor();
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the child did not end within 60 s of SIG%s", signal);
        }
    }

    /** True when /proc says the process ignores the signal. */
    private static boolean ignores(long pid, Signal signal) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        int number = signal == Signal.INT ? 2 : 15;
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
                .anyMatch(mask -> (mask & (1L << (number - 1))) != 0);
    }

    static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(AtomicOutput.TEMPORARY_SUFFIX)).toList();
        }
    }

    /** Only SIGKILL, which runs no shutdown hook, may leave a temporary. */
    static void assertNoTemporaryUnlessKilled(Path dir, Signal signal) throws IOException {
        if (signal != Signal.KILL) {
            assertThat(temporaries(dir)).as("temporaries left after SIG%s", signal).isEmpty();
        }
    }
}
