package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.training.IdxDirectories;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * {@code --data DIR}: the commands read their images from a directory laid out as
 * {@code scripts/build-datasets.sh} writes it, and take their limits from what it holds. The
 * directory here is a small synthetic one with more MNIST images than the shipped 1,000 (the
 * tests never read {@code data/}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("--data DIR")
class FullDataCliTest {

    /** More training images than the shipped subset holds, fewer test images. */
    static final int TRAIN = 1200;
    static final int TEST = 300;

    Path data;

    @BeforeAll
    void directory(@TempDir Path dir) {
        data = IdxDirectories.write(dir.resolve("data"), Dataset.MNIST, TRAIN, TEST);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("parity train on all of a directory's images")
    class Train {

        CliRun run;

        JsonNode json;

        @BeforeAll
        void train(@TempDir Path out) throws Exception {
            run = CliRun.of("train", "--model", "cs172-linear", "--data", data.toString(), "--learning-rate", "0.05",
                    "--batch-size", "200", "--epochs", "1", "--plot", out.resolve("p.png").toString(),
                    "--json", out.resolve("run.json").toString());
            json = new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("runs").path(0);
        }

        @Test
        @DisplayName("passes, trains on every training image (past the shipped 1,000) and scores on every test image")
        void everyImage() {
            assertThat(run.status()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains(TRAIN + " training images (" + data + "/mnist train[0:" + TRAIN + "])"
                    + " (6 steps/epoch), " + TEST + " test images", "sgd: PASS after 6 steps");
        }

        @Test
        @DisplayName("names the directory's training set in the JSON plan")
        void json() {
            assertThat(json.path("training_set").asText()).isEqualTo(data + "/mnist train[0:" + TRAIN + "]");
            assertThat(json.path("test_images").asInt()).isEqualTo(TEST);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("parity verify with a trajectory past the shipped 1,000 training images")
    class Verify {

        /** 12 steps of cs172-linear's batch of 100: images 1,000 to 1,199 exist only in the directory. */
        static final int STEPS = 12;

        CliRun run;

        JsonNode json;

        @BeforeAll
        void verify(@TempDir Path out) throws Exception {
            run = CliRun.of("verify", "--model", "cs172-linear", "--dataset", "mnist", "--precision", "float64",
                    "--data", data.toString(), "--steps", String.valueOf(STEPS), "--json",
                    out.resolve("r.json").toString());
            json = new ObjectMapper().readTree(out.resolve("r.json").toFile());
        }

        @Test
        @DisplayName("passes, its case's batch the directory's first test images, its table naming the directory")
        void passes() {
            assertThat(run.status()).as(run.out() + run.err()).isZero();
            assertThat(json.path("cases").path(0).path("batch").asText()).isEqualTo(data + "/mnist test[0:100]");
            assertThat(run.out()).contains("both sides step in lockstep on the training sets in " + data + ".");
        }

        @Test
        @DisplayName("fingerprints the trajectory with the directory: a baseline of the shipped run does not fit it")
        void fingerprint() {
            TrajectoryCase shipped = new TrajectoryCase(ModelZoo.load("cs172-linear"), Dataset.MNIST,
                    Precision.FLOAT64, STEPS);
            String recorded = json.path("trajectories").path(0).path("fingerprint").asText();
            assertThat(recorded).isEqualTo(shipped.readingFrom(ImageSource.directory(data)).fingerprint())
                    .isNotEqualTo(shipped.fingerprint());
        }
    }

    @Test
    @DisplayName("verify refuses a directory without the training images before any case runs")
    void trajectoryImagesFirst(@TempDir Path dir) throws IOException {
        Path testOnly = dir.resolve("test-only");
        IdxDirectories.write(testOnly, Dataset.MNIST, 10, 200);
        Files.delete(testOnly.resolve("mnist").resolve(Split.TRAIN.imagesFileName()));
        CliRun run = CliRun.of("verify", "--model", "cs172-linear", "--dataset", "mnist", "--data",
                testOnly.toString(), "--steps", "1");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parity: " + testOnly.resolve("mnist").resolve(Split.TRAIN.imagesFileName())
                + ": file not found; run scripts/build-datasets.sh to build the full data sets (default output: data/)"
                + System.lineSeparator());
    }

    @Test
    @DisplayName("train refuses more training images than the directory holds, saying how many it holds")
    void tooManyImages() {
        CliRun run = CliRun.of("train", "--model", "cs172-linear", "--data", data.toString(), "--train-images", "1201");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parity: --train-images must be 1 to 1,200 (the mnist train set in " + data
                + " holds 1,200 images), found 1,201" + System.lineSeparator());
    }

    @Test
    @DisplayName("export takes its batch from the directory's test images")
    void export(@TempDir Path out) {
        CliRun run = CliRun.of("export", "--model", "cs172-linear", "--data", data.toString(),
                "--out", out.resolve("e").toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("(" + data + "/mnist test[0:100])");
    }
}
