package org.paritysuite.harness.reduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.harness.cli.ParityCli;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;

/**
 * The bundle {@code parity reduce} writes replays, through the command line, the very case the
 * reduction last ran: the same spec, weights, examples and dropout masks (drawn again from the
 * spec's seed for the bundle's number of examples), so it fails the same way.
 */
@DisplayName("A reproducer bundle")
class ReduceBundleTest {

    private static final String FAULT = "conv2d_1/kernel=1.000001";

    @Test
    @DisplayName("replays through the command line and fails the same way, already as small as it gets")
    void replaysAndFailsTheSameWay(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("r");
        Run first = Run.of("reduce", "--model", "ds541-cnn-a", "--dataset", "fashion-mnist", "--precision",
                "float64", "--batch-size", "4", "--inject-fault", FAULT, "--out", out.toString());
        assertThat(first.status()).as("a reproducer was written: the case fails; %s", first).isEqualTo(ParityCli.FAILED);
        assertThat(Files.list(out).map(p -> p.getFileName().toString()).sorted().toList())
                .as("the bundle's files").isEqualTo(ReproducerBundle.FILES.stream().sorted().toList());
        String replay = first.line("replay: ").substring("replay: ./parity ".length());
        assertThat(replay).as("the replay command").startsWith("reduce --spec " + out + "/spec.json")
                .contains("--inject-fault " + FAULT).contains("--precision float64 --mode training");
        assertThat(Files.readString(out.resolve("README.txt"))).as("README.txt holds the command").contains(replay);

        Run again = Run.of(replay.split(" "));
        assertThat(again.status()).as("%s", again).isEqualTo(ParityCli.FAILED);
        assertThat(again.line("fails the same way: ")).as("the replay's failure")
                .isEqualTo(first.line("fails the same way: "));
        assertThat(again.out()).as("the replay's first run is the whole reproducer; nothing smaller fails that way")
                .contains("reducing ds541-cnn-a / x.npy / float64 (x.npy[0:1])")
                .doesNotContain("  run ");
    }

    @Test
    @DisplayName("keeps the seed and the examples, so parity verify draws the very dropout masks the reduction ran")
    void sameDropoutMasks(@TempDir Path dir) throws IOException {
        ParityCase original = CaseFactory.zooCase("ds541-cnn-a", Dataset.FASHION_MNIST, Precision.FLOAT64, true, 2);
        Reproducer state = Reproducer.of(original);
        assertThat(state.toCase().batch().dropoutMasks()).as("ds541-cnn-a's three dropout layers").hasSize(3);
        FailureSignature any = new FailureSignature(Optional.of("dense"), Optional.empty(),
                FailureSignature.FirstFailure.LAYER_OUTPUT);
        Path bundle = dir.resolve("b");
        ReproducerBundle.write(bundle, new Shrinker.Reduction(state, state, any, 1, List.of()), Optional.empty());
        Path json = dir.resolve("replay.json");
        Run verify = Run.of(ReproducerBundle.replayCommand(bundle, state, Optional.empty())
                .substring("./parity ".length()).concat(" --json " + json).split(" "));
        assertThat(verify.status()).as("TensorFlow and the reference agree on the unmodified case; %s", verify)
                .isEqualTo(ParityCli.PASSED);
        String replayed = new ObjectMapper().readTree(json.toFile()).path("cases").path(0).path("fingerprint").asText();
        assertThat(replayed).as("the fingerprint of the replayed case (spec, weights, examples, labels, masks, pass)")
                .isEqualTo(state.toCase().fingerprint());
    }

    /** One in-process run of the command line. */
    private record Run(int status, String out, String err) {

        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = ParityCli.execute(new PrintWriter(out), new PrintWriter(err), args);
            return new Run(status, out.toString(), err.toString());
        }

        /** The rest of the first line of standard output that starts with {@code prefix}. */
        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line '" + prefix + "...' in " + this));
        }
    }
}
