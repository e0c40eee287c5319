package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.harness.training.IdxDirectories;

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
