package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paritysuite.fixtures.keras.KerasImport;
import org.paritysuite.fixtures.spec.SpecReader;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * Keras model files through the command line: {@code parity import-keras}, {@code verify --keras}
 * against the predictions of the fixtures' own NumPy forward pass (three ways: TensorFlow vs
 * reference, TensorFlow vs Keras-NumPy, reference vs Keras-NumPy), and {@code train --keras}.
 * The fixtures are {@code scripts/make-keras-fixtures.py}'s, in the fixtures module.
 */
@DisplayName("Keras model files on the command line")
class KerasCliTest {

    /** From this module's directory, where Surefire runs the tests. */
    static final Path KERAS = Path.of("..", "fixtures", "src", "test", "resources", "keras");

    /** The MLP was saved uncompiled, so it names no loss: the option every command line needs for it. */
    private static List<String> lossFor(String model) {
        return model.equals("mlp") ? List.of("--loss", "categorical_crossentropy") : List.of();
    }

    @Nested
    @DisplayName("parity import-keras MODEL --out DIR")
    class Import {

        @Test
        @DisplayName("writes NAME.json and NAME.npz, which read back to the model and its weights")
        void writesSpecAndWeights(@TempDir Path out) {
            CliRun r = CliRun.of("import-keras", KERAS.resolve("cnn.keras").toString(), "--out", out.toString());

            assertThat(r.status()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("Imported ", "7 layers", "loss categorical_crossentropy");
            KerasImport.Imported direct = KerasImport.read(KERAS.resolve("cnn.keras"), Optional.empty());
            assertThat(SpecReader.read(out.resolve("cnn.json"))).isEqualTo(direct.spec());
            assertThat(WeightSet.read(out.resolve("cnn.npz")).bitwiseEquals(direct.weights())).isTrue();
        }

        @Test
        @DisplayName("what it writes runs as --spec and --weights")
        void runsAsSpec(@TempDir Path out) {
            assertThat(CliRun.of("import-keras", KERAS.resolve("mlp.h5").toString(), "--out", out.toString(),
                    "--loss", "mse").status()).isZero();

            CliRun r = CliRun.of("explain", "--spec", out.resolve("mlp.json").toString(), "--weights",
                    out.resolve("mlp.npz").toString());
            assertThat(r.status()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).contains("leaky_re_lu", "softmax");
        }
    }

    @Nested
    @Tag("parity")
    @DisplayName("parity verify --keras: TensorFlow, the reference and Keras (the fixtures' NumPy pass) agree")
    class Verify {

        @ParameterizedTest(name = "{0}")
        @CsvSource({"cnn, h5", "cnn, keras", "mlp, h5", "mlp, keras"})
        void threeWays(String model, String format, @TempDir Path out) throws IOException {
            Path json = out.resolve("r.json");
            List<String> args = new ArrayList<>(List.of("verify", "--keras", KERAS.resolve(model + "." + format).toString(),
                    "--inputs", KERAS.resolve(model + "-x.npy").toString(), "--labels",
                    KERAS.resolve(model + "-y.npy").toString(), "--mode", "inference", "--expect",
                    KERAS.resolve(model + "-p.npy").toString(), "--json", json.toString()));
            args.addAll(lossFor(model));

            CliRun r = CliRun.of(args.toArray(String[]::new));

            assertThat(r.status()).as("exit status; stdout: %s; stderr: %s", r.out(), r.err()).isZero();
            assertThat(r.out()).contains("Against the saved Keras predictions", "TF vs Keras", "ref vs Keras",
                    "PARITY OK");
            JsonNode cases = new ObjectMapper().readTree(json.toFile()).get("cases");
            assertThat(cases).as("a float32 and a float64 case").hasSize(2);
            for (JsonNode c : cases) {
                assertThat(c.get("passed").asBoolean()).as("TensorFlow vs reference in %s", c.get("id")).isTrue();
                assertThat(c.get("keras").get("passed").asBoolean()).as("both sides vs Keras in %s", c.get("id"))
                        .isTrue();
            }
        }
    }

    @Nested
    @DisplayName("parity train --keras")
    class Train {

        @Test
        @DisplayName("trains from the file's weights in lockstep")
        void trains(@TempDir Path out) throws IOException {
            Path json = out.resolve("t.json");
            CliRun r = CliRun.of("train", "--keras", KERAS.resolve("cnn.h5").toString(), "--dataset", "mnist",
                    "--precision", "float64", "--batch-size", "8", "--epochs", "1", "--train-images", "16",
                    "--test-images", "50", "--plot", out.resolve("t.png").toString(), "--json", json.toString());

            assertThat(r.status()).as("exit status; stdout: %s; stderr: %s", r.out(), r.err()).isZero();
            JsonNode run = new ObjectMapper().readTree(json.toFile()).get("runs").get(0);
            assertThat(run.get("steps")).as("two steps of batch 8").hasSize(2);
        }
    }
}
