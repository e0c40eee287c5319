package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paritysuite.harness.training.ResultsCsv;

/**
 * {@code parity train} end to end, on runs small enough for the default suite: cs172-linear on
 * 40 MNIST images in batches of 10 for 2 epochs, scored on 50 test images.
 */
@DisplayName("parity train")
class TrainCommandTest {

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A short run's arguments, {@code more} (option, value, option, value ...) replacing or adding to them. */
    static String[] shortRun(Path dir, String... more) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--model", "cs172-linear", "--learning-rate", "0.05",
                "--batch-size", "10", "--train-images", "40", "--test-images", "50", "--epochs", "2",
                "--plot", dir.resolve("plot.png").toString()));
        for (int i = 0; i + 1 < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("train"));
        options.forEach((option, value) -> args.addAll(List.of(option, value)));
        return args.toArray(String[]::new);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("a short lockstep run")
    class ShortRun {

        Path dir;

        CliRun run;

        // One run for every test of this class: each test reads one behaviour off its output.
        @BeforeAll
        void train(@TempDir Path tempDir) {
            dir = tempDir;
            run = run(shortRun(dir, "--csv", dir.resolve("run.csv").toString(), "--json",
                    dir.resolve("run.json").toString(), "--plot-size", "800x600"));
        }

        @Test
        @DisplayName("passes, exits 0 and prints the per-epoch table")
        void passes() {
            assertThat(run.status()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("test acc tf/ref", "ms/step tf/ref", "sgd: PASS after 8 steps",
                    "TRAINING PARITY OK");
            assertThat(run.out().lines().filter(l -> l.matches(" +[0-2] +[048] .*"))).hasSize(3);
        }

        @Test
        @DisplayName("writes a CSV with a row per step and per epoch, and sane numbers")
        void csv() throws Exception {
            List<String> lines = Files.readAllLines(dir.resolve("run.csv"));
            assertThat(lines.get(0)).isEqualTo(String.join(",", ResultsCsv.COLUMNS));
            List<String[]> epochs = lines.stream().skip(1).map(l -> l.split(",", -1))
                    .filter(c -> c[1].equals("epoch")).toList();
            assertThat(lines).hasSize(1 + 8 + 3);
            String[] last = epochs.get(2);
            int col = ResultsCsv.COLUMNS.indexOf("tf_test_accuracy");
            assertThat(Double.parseDouble(last[col])).isBetween(0.0, 1.0)
                    .isEqualTo(Double.parseDouble(last[col + 1]));
            assertThat(Double.parseDouble(last[ResultsCsv.COLUMNS.indexOf("tolerance_used")])).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(last[ResultsCsv.COLUMNS.indexOf("tf_ms")])).isPositive();
        }

        @Test
        @DisplayName("writes JSON with the run's plan, verdict, steps and epochs")
        void json() throws Exception {
            JsonNode root = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
            assertThat(root.get("passed").asBoolean()).isTrue();
            JsonNode r = root.get("runs").get(0);
            assertThat(r.get("model").asText()).isEqualTo("cs172-linear");
            assertThat(r.get("verdict").asText()).isEqualTo("PASS");
            assertThat(r.get("steps_per_epoch").asInt()).isEqualTo(4);
            assertThat(r.get("steps")).hasSize(8);
            JsonNode epoch = r.get("epochs").get(2);
            assertThat(epoch.get("ref_test_loss").asDouble()).isPositive()
                    .isLessThan(r.get("epochs").get(0).get("ref_test_loss").asDouble());
            assertThat(epoch.get("predictions_differ").asDouble()).isZero();
        }

        @Test
        @DisplayName("writes the plot as a PNG of the stated size")
        void plot() throws Exception {
            BufferedImage png = ImageIO.read(dir.resolve("plot.png").toFile());
            assertThat(png).isNotNull();
            assertThat(png.getWidth()).isEqualTo(800);
            assertThat(png.getHeight()).isEqualTo(600);
        }

        @Test
        @DisplayName("draws its progress without a terminal as plain lines, no carriage return")
        void plainProgress() {
            assertThat(run.err()).contains("sgd: step 8/8 (100%)").doesNotContain("\r");
        }
    }

    @ParameterizedTest(name = "{0} {1}: exits 2 naming the option")
    @CsvSource(delimiter = '|', value = {
        "--epochs|0|--epochs must be 1 to 100 (at batch 1 an epoch is 1,000 lockstep steps; see RunPlan.MAX_EPOCHS), found 0",
        "--epochs|101|--epochs must be 1 to 100",
        "--train-images|5000|--train-images must be 1 to 1,000 (the shipped mnist train subset holds 1,000 images), found 5,000",
        "--test-images|0|--test-images must be 1 to 1,000 (the shipped mnist test subset holds 1,000 images), found 0",
        "--batch-size|-3|--batch-size must be 1 to 1,000 (the shipped mnist train subset holds 1,000 images), found -3",
        "--precision|float16|--precision: unknown precision 'float16'",
        "--dataset|cifar10|--dataset: unknown data set id 'cifar10'",
        "--optimizer|lbfgs|--optimizer/--learning-rate/--hyperparameter: training.optimizer.type: unknown optimizer 'lbfgs'",
        "--learning-rate|-1|expected a finite number > 0, found -1.0",
        "--hyperparameter|momentum|--hyperparameter",
        "--hyperparameter|beta_9=0.5|has no hyperparameter 'beta_9'",
        "--plot-size|800|--plot-size must be WIDTHxHEIGHT"})
    void badOption(String option, String value, String message, @TempDir Path dir) {
        CliRun r = run(shortRun(dir, option, value));
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).contains(message);
    }

    @Test
    @DisplayName("an unknown model exits 2 naming --model and the zoo")
    void unknownModel() {
        CliRun r = run("train", "--model", "resnet50");
        assertThat(r.status()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).contains("--model: unknown model 'resnet50'", "ist597-mlp");
    }

    @Test
    @DisplayName("neither --model nor --experiment exits 2 saying what to give")
    void nothingToTrain() {
        CliRun r = run("train");
        assertThat(r.status()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).contains("give either --model ID or --experiment NAME", "found neither");
    }

    @Test
    @DisplayName("an experiment with --optimizer exits 2: the experiment fixes each run's optimizer")
    void experimentFixesOptimizer() {
        CliRun r = run("train", "--experiment", "ist597-sgd-adam", "--optimizer", "sgd");
        assertThat(r.status()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).contains("fixes each run's optimizer", "remove --optimizer");
    }

    @Test
    @DisplayName("a batch larger than the training images exits 2 saying both sizes")
    void batchLargerThanData(@TempDir Path dir) {
        CliRun r = run(shortRun(dir, "--batch-size", "64"));
        assertThat(r.status()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).contains("batch size 64 is larger than the 40 training images");
    }

    @Test
    @DisplayName("an enormous learning rate stops training at the first non-finite step, exits 2 and names the step")
    void diverges(@TempDir Path dir) {
        CliRun r = run(shortRun(dir, "--learning-rate", "1e12"));
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(ParityCli.BAD_INPUT);
        assertThat(r.err()).containsPattern("training diverged at step \\d+: both sides produced non-finite values");
        assertThat(r.out()).contains("DIVERGED");
    }

    @Test
    @DisplayName("Adam trains on both sides, exits 0 and lists its worked-around known defect")
    void adamWorkedAround(@TempDir Path dir) {
        CliRun r = run(shortRun(dir, "--optimizer", "adam", "--learning-rate", "0.001"));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("known TensorFlow-side defects", "beta1_power", "OrderedAdam");
    }
}
