package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.Npz;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.training.KnownDefect;

@DisplayName("The parity command line")
class ParityCliTest {

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A small user spec, valid, for the CLI tests (BadInputTest builds its bad files from it too). */
    static final String TINY_SPEC = """
            {"format_version": 1, "name": "tiny-user-net", "input_shape": [784], "classes": 10,
             "layers": [{"type": "dense", "name": "hidden", "units": 16, "activation": "tanh"},
                        {"type": "dense", "name": "out", "units": 10, "activation": "softmax"}],
             "loss": "categorical_crossentropy",
             "training": {"seed": 3, "batch_size": 8, "optimizer": {"type": "sgd", "learning_rate": 0.1}}}
            """;

    @Nested
    @DisplayName("parity verify")
    class Verify {

        @Test
        @DisplayName("passes a zoo model, prints the table and exits 0")
        void passesZooModel() {
            CliRun r = run("verify", "--model", "cs172-linear", "--dataset", "mnist", "--precision", "float64");
            assertThat(r.status()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("model", "max abs", "first divergence", "cs172-linear", "PARITY OK");
        }

        @Test
        @DisplayName("writes the JSON report with the documented fields")
        void jsonReport(@TempDir Path dir) throws Exception {
            Path json = dir.resolve("report.json");
            CliRun r = run("verify", "--model", "cs172-linear", "--dataset", "fashion-mnist", "--precision", "float32",
                    "--json", json.toString());
            assertThat(r.status()).as(r.err()).isZero();
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.get("passed").asBoolean()).isTrue();
            assertThat(root.get("environment").get("tensorflow").asText()).isNotBlank();
            JsonNode c = root.get("cases").get(0);
            assertThat(c.get("model").asText()).isEqualTo("cs172-linear");
            assertThat(c.get("precision").asText()).isEqualTo("float32");
            JsonNode check = c.get("checks").get(0);
            assertThat(check.has("tensor") && check.has("kind") && check.has("max_abs_error")
                    && check.has("max_rel_error") && check.has("tolerance") && check.has("passed"))
                    .as("check fields in %s", check).isTrue();
        }

        @Test
        @DisplayName("--every-optimizer trains the model with every optimizer and its own in lockstep and lists the"
                + " known TensorFlow-side defects with their status")
        void trajectories(@TempDir Path dir) throws Exception {
            Path json = dir.resolve("report.json");
            CliRun r = run("verify", "--model", "cs172-linear", "--dataset", "mnist", "--precision", "float64",
                    "--steps", "3", "--every-optimizer", "--json", json.toString());
            assertThat(r.status()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Training trajectories", "Known TensorFlow-side defects", "KNOWN DEFECT",
                    "adam [worked around; reproduces]");
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.get("trajectories")).as("8 optimizer settings, 5 epsilon-sensitive ones and the model's own")
                    .hasSize(14);
            assertThat(root.get("known_defects")).hasSize(KnownDefect.ALL.size());
            for (JsonNode d : root.get("known_defects")) {
                assertThat(d.has("optimizer")).as("%s: the optimizer field for an optimizer's defect only", d)
                        .isEqualTo(d.get("subject").asText().startsWith("optimizer:"));
                assertThat(d.get("status").asText()).as("%s", d).isIn("reproduces", "not run");
            }
            for (JsonNode t : root.get("trajectories")) {
                String optimizer = t.get("optimizer").asText();
                String expected = optimizer.equals("nadam") ? "KNOWN DEFECT" : "PASS";
                assertThat(t.get("verdict").asText()).as("%s: %s", optimizer, t.get("detail").asText()).isEqualTo(expected);
            }
        }

        @Test
        @DisplayName("--dataset and --precision choose the trajectories' data set and precision too")
        void trajectoriesFollowTheSelection(@TempDir Path dir) throws Exception {
            Path json = dir.resolve("report.json");
            // cs172-linear's own training block names mnist; --dataset fashion-mnist must win. Two steps:
            // Nadam's known defect shows from step 2 in float32.
            CliRun r = run("verify", "--model", "cs172-linear", "--dataset", "fashion-mnist", "--precision", "float32",
                    "--steps", "2", "--every-optimizer", "--json", json.toString());
            assertThat(r.status()).as(r.out() + r.err()).isZero();
            JsonNode trajectories = new ObjectMapper().readTree(json.toFile()).get("trajectories");
            assertThat(trajectories).as("8 optimizer settings, 5 epsilon-sensitive ones and the model's own")
                    .hasSize(14);
            for (JsonNode t : trajectories) {
                assertThat(t.get("dataset").asText()).as(t.get("optimizer").asText()).isEqualTo("fashion-mnist");
                assertThat(t.get("precision").asText()).as(t.get("optimizer").asText()).isEqualTo("float32");
            }
        }

        @Test
        @DisplayName("gives the same report on one thread and on two, timings aside")
        void threadsChangeNothing(@TempDir Path dir) throws Exception {
            Path one = dir.resolve("one.json");
            Path two = dir.resolve("two.json");
            for (Path json : java.util.List.of(one, two)) {
                CliRun r = run("verify", "--model", "cs172-linear", "--model", "ist597-mlp-dropout", "--dataset", "mnist",
                        "--steps", "2", "--threads", json == one ? "1" : "2", "--json", json.toString());
                assertThat(r.status()).as(r.out() + r.err()).isZero();
            }
            assertThat(withoutTimings(new ObjectMapper().readTree(two.toFile())))
                    .isEqualTo(withoutTimings(new ObjectMapper().readTree(one.toFile())));
        }

        private JsonNode withoutTimings(JsonNode root) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("environment");
            for (String field : java.util.List.of("cases", "trajectories")) {
                root.get(field).forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("timing_ms"));
            }
            return root;
        }

        @Test
        @DisplayName("runs a user's own spec with the user's weights")
        void userSpecAndWeights(@TempDir Path dir) throws Exception {
            Path spec = dir.resolve("net.json");
            Files.writeString(spec, TINY_SPEC);
            Path weights = dir.resolve("w.npz");
            GlorotUniform.initialise(org.paritysuite.fixtures.spec.SpecReader.read(spec), 99).write(weights);
            CliRun r = run("verify", "--spec", spec.toString(), "--weights", weights.toString(), "--dataset", "mnist");
            assertThat(r.status()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("tiny-user-net");
        }
    }

    @Nested
    @DisplayName("bad input: one line naming the problem, exit status 2, no stack trace")
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "an unknown model       | --model=lenet           | unknown model 'lenet'",
            "an unknown data set    | --dataset=cifar10       | unknown data set id 'cifar10'",
            "an unknown precision   | --precision=float16     | unknown precision 'float16'",
            "weights without a spec | --weights=w.npz         | --weights needs --spec",
        })
        void badArgument(String what, String arg, String message) {
            CliRun r = run("verify", arg.trim());
            assertBadInput(r, message.trim());
        }

        @Test
        @DisplayName("a spec with an unknown layer type names the file and the field")
        void unknownLayer(@TempDir Path dir) throws Exception {
            Path spec = dir.resolve("net.json");
            Files.writeString(spec, TINY_SPEC.replace("\"type\": \"dense\", \"name\": \"hidden\"",
                    "\"type\": \"lstm\", \"name\": \"hidden\""));
            assertBadInput(run("verify", "--spec", spec.toString()), spec + ": layers[0].type: unknown layer type 'lstm'");
        }

        @Test
        @DisplayName("a spec file that does not exist")
        void missingSpec(@TempDir Path dir) {
            Path spec = dir.resolve("absent.json");
            assertBadInput(run("verify", "--spec", spec.toString()), spec + ": spec file not found");
        }

        @Test
        @DisplayName("weights of the wrong shape name the weight, its layer and the expected shape")
        void wrongShapeWeights(@TempDir Path dir) throws Exception {
            Path spec = dir.resolve("net.json");
            Files.writeString(spec, TINY_SPEC);
            Path weights = dir.resolve("w.npz");
            Npz.write(Map.of("hidden/kernel", Nd4j.zeros(16, 784), "hidden/bias", Nd4j.zeros(16),
                    "out/kernel", Nd4j.zeros(16, 10), "out/bias", Nd4j.zeros(10)), weights);
            assertBadInput(run("verify", "--spec", spec.toString(), "--weights", weights.toString()),
                    "weight 'hidden/kernel' of layer 'hidden' has shape [16, 784]; expected [784, 16]");
        }

        @Test
        @DisplayName("a truncated weight file")
        void truncatedWeights(@TempDir Path dir) throws Exception {
            Path spec = dir.resolve("net.json");
            Files.writeString(spec, TINY_SPEC);
            Path weights = dir.resolve("w.npz");
            GlorotUniform.initialise(org.paritysuite.fixtures.spec.SpecReader.read(spec), 1).write(weights);
            byte[] bytes = Files.readAllBytes(weights);
            Files.write(weights, Arrays.copyOf(bytes, bytes.length - 300));
            assertBadInput(run("verify", "--spec", spec.toString(), "--weights", weights.toString()), weights.toString());
        }

        @Test
        @DisplayName("--verbose adds the stack trace")
        void verbose() {
            CliRun r = run("verify", "--model=lenet", "--verbose");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("\tat org.paritysuite");
        }

        private void assertBadInput(CliRun r, String message) {
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("parity: ").contains(message).doesNotContain("\tat ");
        }
    }

    @Nested
    @DisplayName("parity export")
    class Export {

        @Test
        @DisplayName("writes spec, weights, inputs and both traces as files NumPy opens")
        void writesFiles(@TempDir Path dir) {
            CliRun r = run("export", "--model", "ist597-mlp", "--out", dir.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(dir.resolve("spec.json")).exists();
            assertThat(WeightSet.read(dir.resolve("weights.npz")).names()).contains("dense/kernel", "dense_2/bias");
            assertThat(Npz.read(dir.resolve("inputs.npz")).keySet()).containsExactly("x", "y");
            assertThat(Npz.read(dir.resolve("tf.npz")).keySet())
                    .containsExactly("activation/dense", "activation/dense_1", "probs", "loss",
                            "gradient/dense/kernel", "gradient/dense/bias", "gradient/dense_1/kernel",
                            "gradient/dense_1/bias", "gradient/dense_2/kernel", "gradient/dense_2/bias");
            assertThat(Npz.read(dir.resolve("reference.npz")).keySet())
                    .isEqualTo(Npz.read(dir.resolve("tf.npz")).keySet());
        }

        @Test
        @DisplayName("refuses options that select more than one case")
        void oneCaseOnly(@TempDir Path dir) {
            CliRun r = run("export", "--model", "ist597-mlp", "--precision", "float32", "--precision", "float64",
                    "--out", dir.toString());
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("export writes one case; the options select 2");
        }
    }

}
