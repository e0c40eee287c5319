package org.paritysuite.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The union of the shards is the full run: a small run (cs172-linear and ist597-mlp on both data
 * sets and in both precisions, their hostile batches, and their own training for 2 steps: 8 cases,
 * 13 hostile cases and 4 trajectories in 13 units of work) runs whole, and as shards 1/2 and 2/2, all in-process (about 40 s on two
 * cores); {@code parity merge} of the two shard reports must give the whole run's JSON report,
 * timings aside, and its verdict.
 */
@Tag("parity")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Sharded run: merge(shard 1/2, shard 2/2) = the whole run")
class ShardedRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> SELECTION = List.of("--model", "cs172-linear", "--model", "ist597-mlp",
            "--steps", "2");

    @TempDir
    static Path dir;

    private CliRun whole;
    private final List<CliRun> shards = new ArrayList<>();
    private CliRun merge;

    @BeforeAll
    void run() {
        whole = verify("--json", dir.resolve("whole.json").toString());
        for (int k = 1; k <= 2; k++) {
            shards.add(verify("--shard", k + "/2", "--json", dir.resolve("shard" + k + ".json").toString()));
        }
        merge = CliRun.of("merge", dir.resolve("shard2.json").toString(), dir.resolve("shard1.json").toString(),
                "--json", dir.resolve("merged.json").toString(), "--junit", dir.resolve("merged.xml").toString());
    }

    private static CliRun verify(String... more) {
        List<String> args = new ArrayList<>(List.of("verify"));
        args.addAll(SELECTION);
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonNode read(String name) throws IOException {
        return JSON.readTree(dir.resolve(name).toFile());
    }

    /** The report without what differs from run to run: every {@code timing_ms}. */
    private static JsonNode withoutTimings(JsonNode report) {
        JsonNode copy = report.deepCopy();
        Stream.of("cases", "trajectories").forEach(f -> copy.path(f).forEach(n -> ((ObjectNode) n).remove("timing_ms")));
        return copy;
    }

    @Test
    @DisplayName("every run passes, and merge says so with exit 0 and the whole run's verdict line")
    void verdicts() {
        assertThat(whole.status()).as("the whole run's exit status; stderr: %s", whole.err()).isZero();
        shards.forEach(s -> assertThat(s.status()).as("a shard's exit status; stderr: %s", s.err()).isZero());
        assertThat(merge.status()).as("merge's exit status; stderr: %s", merge.err()).isZero();
        String verdict = whole.out().lines().filter(l -> l.startsWith("PARITY ")).findFirst().orElseThrow();
        assertThat(merge.out().lines()).as("merge's output").contains(verdict);
    }

    @Test
    @DisplayName("each shard runs part of the matrix, and says which")
    void shardsArePartial() throws IOException {
        for (int k = 1; k <= 2; k++) {
            JsonNode shard = read("shard" + k + ".json");
            assertThat(shard.path("cases").size() + shard.path("trajectories").size())
                    .as("shard %d/2's cases and trajectories (of 25: 8 real and 13 hostile cases, 4 trajectories)", k)
                    .isBetween(1, 24);
            assertThat(shard.path("shard").path("index").asInt()).as("the recorded index").isEqualTo(k);
            assertThat(shards.get(k - 1).err()).as("shard %d/2's progress", k)
                    .contains("shard " + k + "/2: ").contains("of the run's 13 units of work");
        }
    }

    @Test
    @DisplayName("the merged JSON is the whole run's, timings aside")
    void mergedEqualsWhole() throws IOException {
        JsonNode merged = read("merged.json");
        JsonNode wholeJson = read("whole.json");

        assertThat(merged.path("summary")).as("summary").isEqualTo(wholeJson.path("summary"));
        assertThat(withoutTimings(merged)).as("the merged report without timings").isEqualTo(withoutTimings(wholeJson));
    }

    @Test
    @DisplayName("the merged JUnit file lists every case and trajectory of the whole run")
    void junit() throws IOException {
        String xml = Files.readString(dir.resolve("merged.xml"));
        JsonNode wholeJson = read("whole.json");

        for (String field : List.of("cases", "trajectories")) {
            wholeJson.path(field).forEach(n -> assertThat(xml).as("the JUnit file").contains("name=\""
                    + n.path("id").asText() + "\""));
        }
    }
}
