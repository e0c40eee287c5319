package org.paritysuite.harness.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.paritysuite.harness.cli.ParityCli;
import picocli.CommandLine;

/**
 * The CI examples under {@code ci-examples/} run the shards as a matrix and merge them: the shard
 * indices are 1..N, each shard's command line is one the real CLI accepts, each shard keeps its
 * JSON report, and the merge job waits for every shard and merges exactly their N reports into the
 * JUnit file the CI engine publishes.
 */
@DisplayName("CI examples: N shards as a matrix job, then one merge job")
class CiExamplesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Path DIR = Path.of("..", "ci-examples");

    private static JsonNode read(String name) throws IOException {
        return YAML.readTree(DIR.resolve(name).toFile());
    }

    /** The arguments after {@code ./parity} of a script line, quotes removed, {@code variable} set to {@code value}. */
    private static String[] parityArgs(String line, String variable, String value) {
        return parityArgs(line.replace(variable, value));
    }

    /** The arguments after {@code ./parity} of a script line, quotes removed. */
    private static String[] parityArgs(String line) {
        String command = line.replace("\"", "").strip();
        assertThat(command).as("a script line").startsWith("./parity ");
        return command.substring("./parity ".length()).split("\\s+");
    }

    /** Fails unless the real command line parses {@code args}: no unknown option, every value of the right type. */
    private static void assertParses(String[] args) {
        new CommandLine(new ParityCli()).parseArgs(args);
    }

    /** The value after {@code option} in {@code args}. */
    private static String valueOf(String[] args, String option) {
        int i = Arrays.asList(args).indexOf(option);
        assertThat(i).as("%s in %s", option, Arrays.toString(args)).isNotNegative();
        return args[i + 1];
    }

    /** The merge job's reports: the arguments of parity merge before its first option. */
    private static List<String> mergedReports(String[] mergeArgs) {
        List<String> reports = new ArrayList<>();
        for (int i = 1; i < mergeArgs.length && !mergeArgs[i].startsWith("--"); i++) {
            reports.add(mergeArgs[i]);
        }
        return reports;
    }

    private static List<String> range(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
    }

    @Nested
    @DisplayName("GitHub Actions (ci-examples/github-actions.yml)")
    class GitHubActions {

        private final JsonNode jobs;

        GitHubActions() throws IOException {
            jobs = read("github-actions.yml").path("jobs");
        }

        private String run(JsonNode job, String contains) {
            for (JsonNode step : job.path("steps")) {
                if (step.path("run").asText().contains(contains)) {
                    return step.path("run").asText();
                }
            }
            throw new AssertionError("no step runs " + contains + " in " + job);
        }

        @Test
        @DisplayName("the shard matrix is 1..N, each shard runs verify --shard K/N and uploads its JSON")
        void shards() {
            JsonNode verify = jobs.path("verify");
            List<String> shards = new ArrayList<>();
            verify.path("strategy").path("matrix").path("shard").forEach(s -> shards.add(s.asText()));
            int n = shards.size();

            assertThat(shards).as("the matrix's shard indices").isEqualTo(range(n)).hasSizeGreaterThan(1);
            assertThat(verify.path("strategy").path("fail-fast").asBoolean(true)).as("fail-fast").isFalse();
            for (String k : shards) {
                String[] args = parityArgs(run(verify, "parity verify"), "${{ matrix.shard }}", k);
                assertParses(args);
                assertThat(valueOf(args, "--shard")).as("shard %s's --shard", k).isEqualTo(k + "/" + n);
                String upload = verify.findParents("uses").stream().filter(s -> s.path("uses").asText()
                        .startsWith("actions/upload-artifact")).findFirst().orElseThrow().path("with").path("path")
                        .asText().replace("${{ matrix.shard }}", k);
                assertThat(upload).as("shard %s's uploaded file", k).isEqualTo(valueOf(args, "--json"));
            }
        }

        @Test
        @DisplayName("the merge job needs the shards, merges all N reports and publishes the JUnit file")
        void merge() {
            JsonNode merge = jobs.path("merge");
            int n = jobs.path("verify").path("strategy").path("matrix").path("shard").size();
            String[] args = parityArgs(run(merge, "parity merge"));

            assertParses(args);
            assertThat(merge.path("needs").asText()).as("needs").isEqualTo("verify");
            assertThat(merge.path("if").asText()).as("runs when a shard failed").isEqualTo("${{ !cancelled() }}");
            assertThat(mergedReports(args)).as("the reports merged")
                    .isEqualTo(range(n).stream().map(k -> "parity-shard-" + k + ".json").toList());
            assertThat(merge.findValuesAsText("report_paths")).as("the JUnit file published")
                    .containsExactly(valueOf(args, "--junit"));
        }
    }

    @Nested
    @DisplayName("GitLab CI (ci-examples/gitlab-ci.yml)")
    class GitLab {

        private final JsonNode ci;

        GitLab() throws IOException {
            ci = read("gitlab-ci.yml");
        }

        @Test
        @DisplayName("the shard matrix is 1..N, each shard runs verify --shard K/N and keeps its JSON always")
        void shards() {
            JsonNode shard = ci.path("parity-shard");
            List<String> shards = new ArrayList<>();
            shard.path("parallel").path("matrix").get(0).path("SHARD").forEach(s -> shards.add(s.asText()));
            int n = shards.size();

            assertThat(shards).as("the matrix's SHARD values").isEqualTo(range(n)).hasSizeGreaterThan(1);
            assertThat(shard.path("artifacts").path("when").asText()).as("artifacts kept").isEqualTo("always");
            for (String k : shards) {
                String[] args = parityArgs(shard.path("script").get(0).asText(), "$SHARD", k);
                assertParses(args);
                assertThat(valueOf(args, "--shard")).as("shard %s's --shard", k).isEqualTo(k + "/" + n);
                assertThat(shard.path("artifacts").path("paths").get(0).asText().replace("$SHARD", k))
                        .as("shard %s's artifact", k).isEqualTo(valueOf(args, "--json"));
            }
        }

        @Test
        @DisplayName("the merge job needs the shards' artifacts, merges all N reports and reports the JUnit file")
        void merge() {
            JsonNode merge = ci.path("parity-merge");
            int n = ci.path("parity-shard").path("parallel").path("matrix").get(0).path("SHARD").size();
            String[] args = parityArgs(merge.path("script").get(0).asText());

            assertParses(args);
            assertThat(merge.path("needs").get(0).path("job").asText()).as("needs").isEqualTo("parity-shard");
            assertThat(merge.path("needs").get(0).path("artifacts").asBoolean()).as("needs artifacts").isTrue();
            assertThat(merge.path("when").asText()).as("runs when a shard failed").isEqualTo("always");
            assertThat(mergedReports(args)).as("the reports merged")
                    .isEqualTo(range(n).stream().map(k -> "parity-shard-" + k + ".json").toList());
            assertThat(merge.path("artifacts").path("reports").path("junit").asText()).as("the JUnit report")
                    .isEqualTo(valueOf(args, "--junit"));
        }
    }
}
