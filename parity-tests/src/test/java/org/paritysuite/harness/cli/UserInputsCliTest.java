package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.weights.Npy;
import org.paritysuite.fixtures.weights.Npz;

/**
 * {@code --inputs X.npy --labels Y.npy} end to end, on the shipped MNIST test images saved as a
 * user would save them ({@code uint8} pixels, {@code uint8} class indices), so that the user's batch
 * can be checked against the shipped batch it must equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("--inputs X.npy --labels Y.npy: your own batch instead of the shipped test images")
class UserInputsCliTest {

    /** Fewer than ist597-mlp's batch_size 64, so verify's batch is the whole file; more than export's 8. */
    static final int EXAMPLES = 12;

    Path pixels;
    Path labels;
    /** ist597-mlp's inference output on the 12 examples, computed by the reference in float64, saved as float32. */
    Path keras;
    /** The same with one prediction, (3, 7), off by 1e-3: far outside any float32 tolerance. */
    Path wrong;

    @BeforeAll
    void mnistAsAUserSavesIt(@TempDir Path dir) throws IOException {
        LabeledImages test = ShippedDatasets.load(Dataset.MNIST, Split.TEST).slice(0, EXAMPLES);
        pixels = npy(dir.resolve("x.npy"), pixels(test));
        labels = npy(dir.resolve("y.npy"), classes(test));
        // Keras-like predictions made by the suite itself: the reference's float64 output, saved in float32 as
        // model.predict's would be. The frameworks agree with each other far closer than float32 rounding.
        Path export = dir.resolve("export");
        CliRun r = CliRun.of("export", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--labels",
                labels.toString(), "--mode", "inference", "--out", export.toString());
        assertThat(r.status()).as("export of the predictions; stderr: %s", r.err()).isZero();
        INDArray probs = Npz.read(export.resolve("reference.npz")).get("probs");
        keras = npy(dir.resolve("p.npy"), probs.castTo(DataType.FLOAT));
        wrong = npy(dir.resolve("p-wrong.npy"), probs.dup().putScalar(3, 7, probs.getDouble(3, 7) + 1e-3)
                .castTo(DataType.FLOAT));
    }

    @Nested
    @DisplayName("parity verify")
    class Verify {

        @Test
        @DisplayName("runs the case on the file's examples, all of them when fewer than batch_size, and names them")
        void passesOnTheFile(@TempDir Path out) throws IOException {
            Path json = out.resolve("r.json");
            CliRun r = CliRun.of("verify", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--labels",
                    labels.toString(), "--precision", "float64", "--json", json.toString());
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("ist597-mlp", "x.npy", "PARITY OK");
            JsonNode c = new ObjectMapper().readTree(json.toFile()).get("cases").get(0);
            assertThat(c.get("id").asText()).isEqualTo("ist597-mlp/x.npy/float64/training");
            assertThat(c.get("batch").asText()).as("12 examples, fewer than batch_size 64: the whole file")
                    .isEqualTo("x.npy[0:12]");
        }

        @Test
        @DisplayName("without --labels, labels example i class i mod classes, says so, and compares the loss and"
                + " every gradient at them")
        void withoutLabels(@TempDir Path out) throws IOException {
            Path json = out.resolve("r.json");
            CliRun r = CliRun.of("verify", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--precision",
                    "float64", "--json", json.toString());
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
            JsonNode c = new ObjectMapper().readTree(json.toFile()).get("cases").get(0);
            assertThat(c.get("batch").asText()).isEqualTo("x.npy[0:12] (no labels: example i labelled class i mod 10)");
            assertThat(c.get("checks").findValuesAsText("kind")).as("the loss and the gradients are still compared")
                    .contains("loss", "gradient");
        }

        @Test
        @DisplayName("prints a file name with a line break as \\u000A: it cannot forge a 'PARITY OK' line")
        void forgedName(@TempDir Path out) throws IOException {
            Path forged = Files.copy(pixels, out.resolve("x\nPARITY OK: 9 cases.npy"));
            CliRun r = CliRun.of("verify", "--model", "cs172-linear", "--inputs", forged.toString(), "--labels",
                    labels.toString(), "--precision", "float64");
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
            assertThat((r.out() + r.err()).lines()).as("every line printed")
                    .noneMatch(l -> l.startsWith("PARITY OK: 9"));
            assertThat(r.out()).contains("x\\u000APARITY OK: 9 cases.npy");
        }

        @Test
        @DisplayName("refuses --steps: trajectories train on the shipped training images, not on --inputs")
        void noTrajectories() {
            CliRun r = CliRun.of("verify", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--labels",
                    labels.toString(), "--steps", "2");
            assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.BAD_INPUT);
            assertThat(r.err()).contains("--steps 2: trajectories train on the shipped training images");
        }
    }

    @Nested
    @DisplayName("parity verify --expect P.npy: both sides against predictions saved from Keras")
    class Expect {

        @Test
        @DisplayName("passes when both sides' outputs are within the output's float32 tolerance of the predictions")
        void passes(@TempDir Path out) throws IOException {
            Path json = out.resolve("r.json");
            CliRun r = verify(keras, json);
            assertThat(r.status()).as("exit status; stdout: %s; stderr: %s", r.out(), r.err()).isZero();
            assertThat(r.out()).contains("Against the saved Keras predictions", "TF vs Keras", "ref vs Keras");
            JsonNode cases = new ObjectMapper().readTree(json.toFile()).get("cases");
            assertThat(cases).as("a float32 and a float64 case").hasSize(2);
            for (JsonNode c : cases) {
                JsonNode k = c.get("keras");
                assertThat(k.get("passed").asBoolean()).as("keras.passed of %s", c.get("id")).isTrue();
                assertThat(k.get("tensorflow").get("tolerance").get("reason").asText())
                        .as("the tolerance says why it is float32's even in a float64 case")
                        .startsWith("Keras predictions are float32, so the output's float32 tolerance: float32: 8*sqrt(K)*u");
                assertThat(k.get("reference").get("max_abs_error").asDouble()).as("reference vs Keras of %s",
                        c.get("id")).isLessThan(1e-6);
            }
        }

        @Test
        @DisplayName("fails (exit 1) when a prediction is off by 1e-3, and says where")
        void failsOnAWrongPrediction(@TempDir Path out) throws IOException {
            Path json = out.resolve("r.json");
            Path junit = out.resolve("r.xml");
            CliRun r = verify(wrong, json, "--junit", junit.toString());
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isEqualTo(ParityCli.FAILED);
            assertThat(r.out()).contains("FAIL", "TF vs Keras", "at index (3, 7)");
            assertThat(Files.readString(junit)).as("the JUnit failure carries the comparison's message")
                    .contains("<failure", "(TensorFlow vs Keras)");
            JsonNode c = new ObjectMapper().readTree(json.toFile()).get("cases").get(0);
            assertThat(c.get("passed").asBoolean()).as("the case fails with its Keras check").isFalse();
            assertThat(c.get("keras").get("tensorflow").get("passed").asBoolean()).isFalse();
            assertThat(c.get("keras").get("reference").get("message").asText()).contains("Mismatched elements: 1 / 120");
        }

        private CliRun verify(Path predictions, Path json, String... more) {
            List<String> args = new ArrayList<>(List.of("verify", "--model", "ist597-mlp", "--inputs",
                    pixels.toString(), "--labels", labels.toString(), "--mode", "inference", "--expect",
                    predictions.toString(), "--json", json.toString()));
            args.addAll(List.of(more));
            return CliRun.of(args.toArray(String[]::new));
        }
    }

    @Nested
    @DisplayName("parity export")
    class Export {

        @Test
        @DisplayName("uint8 pixels of the shipped images give exactly the shipped batch, x and one-hot y")
        void sameBatchAsTheShippedImages(@TempDir Path out) {
            Path mine = out.resolve("mine");
            Path shipped = out.resolve("shipped");
            CliRun r = CliRun.of("export", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--labels",
                    labels.toString(), "--batch-size", "8", "--out", mine.toString());
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("(x.npy[0:8])");
            assertThat(CliRun.of("export", "--model", "ist597-mlp", "--dataset", "mnist", "--batch-size", "8",
                    "--out", shipped.toString()).status()).isZero();
            Map<String, INDArray> got = Npz.read(mine.resolve("inputs.npz"));
            Map<String, INDArray> want = Npz.read(shipped.resolve("inputs.npz"));
            assertThat(got.get("x")).as("x, scaled by input_range [0, 1]").isEqualTo(want.get("x"));
            assertThat(got.get("y")).as("class indices, one-hot").isEqualTo(want.get("y"));
        }

        @Test
        @DisplayName("refuses a batch larger than the file")
        void batchLargerThanTheFile(@TempDir Path out) {
            CliRun r = CliRun.of("export", "--model", "ist597-mlp", "--inputs", pixels.toString(), "--labels",
                    labels.toString(), "--batch-size", "13", "--out", out.resolve("e").toString());
            assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.BAD_INPUT);
            assertThat(r.err()).contains("x.npy: holds 12 example(s); expected at least 13 for the batch");
            assertThat(out.resolve("e")).as("nothing half-written").doesNotExist();
        }
    }

    @Nested
    @DisplayName("parity train")
    class Train {

        @Test
        @DisplayName("on the shipped training images saved as uint8 takes exactly the steps of the shipped subset")
        void sameStepsAsTheShippedImages(@TempDir Path out) throws IOException {
            LabeledImages train = ShippedDatasets.load(Dataset.MNIST, Split.TRAIN).slice(0, EXAMPLES);
            Path x = npy(out.resolve("train-x.npy"), pixels(train));
            Path y = npy(out.resolve("train-y.npy"), classes(train));
            JsonNode mine = train(out, "mine", "--inputs", x.toString(), "--labels", y.toString());
            JsonNode shipped = train(out, "shipped", "--train-images", Integer.toString(EXAMPLES));
            assertThat(mine.get("training_set").asText()).isEqualTo("train-x.npy[0:12]");
            assertThat(shipped.get("training_set").asText()).isEqualTo("mnist train[0:12]");
            assertThat(mine.get("steps")).as("three steps of batch 4").hasSize(3);
            for (String loss : List.of("tf_train_loss", "ref_train_loss")) {
                assertThat(mine.get("steps").findValues(loss)).as(loss + " of every step")
                        .isEqualTo(shipped.get("steps").findValues(loss));
            }
        }

        @Test
        @DisplayName("evaluates on --test-inputs: the shipped test images saved as uint8 score exactly as the shipped"
                + " test subset")
        void ownTestInputs(@TempDir Path out) throws IOException {
            LabeledImages test = ShippedDatasets.load(Dataset.MNIST, Split.TEST).slice(0, 100);
            Path x = npy(out.resolve("test-x.npy"), pixels(test));
            Path y = npy(out.resolve("test-y.npy"), classes(test));
            Path page = out.resolve("mine.html");
            JsonNode mine = train(out, "mine", "--test-inputs", x.toString(), "--test-labels", y.toString(), "--html",
                    page.toString());
            JsonNode shipped = train(out, "shipped");
            assertThat(mine.get("test_images").asInt()).isEqualTo(100);
            assertThat(Files.readString(page)).as("the HTML page's predictions name the file they come from")
                    .contains("the first 100 examples of test-x.npy");
            for (String field : List.of("tf_test_loss", "tf_test_accuracy")) {
                assertThat(mine.get("epochs").findValues(field)).as(field + " of every epoch")
                        .isEqualTo(shipped.get("epochs").findValues(field));
            }
        }

        @Test
        @DisplayName("refuses --test-inputs without --test-labels: test accuracy needs them")
        void testInputsNeedLabels() {
            CliRun r = CliRun.of("train", "--model", "cs172-linear", "--test-inputs", pixels.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.BAD_INPUT);
            assertThat(r.err()).contains("test accuracy needs labels; expected --test-labels Y.npy with it");
        }

        @Test
        @DisplayName("refuses --inputs with --experiment: an experiment reproduces a report on the shipped images")
        void notWithAnExperiment() {
            CliRun r = CliRun.of("train", "--experiment", "cs172-batch-sizes", "--inputs", pixels.toString(),
                    "--labels", labels.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(ParityCli.BAD_INPUT);
            assertThat(r.err()).contains("an experiment reproduces a report's runs on the shipped training images");
        }

        /** One epoch of cs172-linear in batches of 4, in float64, evaluated on 100 shipped test images. */
        private JsonNode train(Path out, String name, String... data) throws IOException {
            Path json = out.resolve(name + ".json");
            List<String> args = new ArrayList<>(List.of("train", "--model", "cs172-linear", "--dataset", "mnist",
                    "--precision", "float64", "--batch-size", "4", "--epochs", "1", "--test-images", "100", "--plot",
                    out.resolve(name + ".png").toString(), "--json", json.toString()));
            args.addAll(List.of(data));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.status()).as("exit status of %s; stderr: %s", name, r.err()).isZero();
            return new ObjectMapper().readTree(json.toFile()).get("runs").get(0);
        }
    }

    @Nested
    @DisplayName("parity bench")
    class Bench {

        @Test
        @DisplayName("times the passes on the file's batch")
        void timesTheFile() {
            CliRun r = CliRun.of("bench", "--model", "cs172-linear", "--inputs", pixels.toString(), "--labels",
                    labels.toString(), "--precision", "float32", "--warmup", "0", "--repeat", "1");
            assertThat(r.status()).as("exit status; stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("cs172-linear / x.npy / float32");
        }
    }

    /** The images' pixels as a user saves them: uint8, {@code [N, 784]}. */
    private static INDArray pixels(LabeledImages images) {
        byte[] bytes = images.pixels();
        double[] values = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = Byte.toUnsignedInt(bytes[i]);
        }
        return Nd4j.create(values, new long[] {images.size(), 784}, 'c').castTo(DataType.UBYTE);
    }

    /** The images' labels as a user saves class indices: uint8, {@code [N]}. */
    private static INDArray classes(LabeledImages images) {
        return Nd4j.createFromArray(Arrays.stream(images.labels()).asDoubleStream().toArray()).castTo(DataType.UBYTE);
    }

    private static Path npy(Path file, INDArray array) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Npy.write(array, out);
        }
        return file;
    }
}
