package org.paritysuite.harness.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.report.ReportSummary;

/**
 * Merging shard reports, on hand-made reports of a run of four units split in two: shard 1 runs
 * {@code cases:a/mnist} and {@code trajectory:a/mnist/sgd}, shard 2 {@code cases:b/mnist} and
 * {@code cases:c/mnist}. The real thing, shards of a real run against the run itself, is
 * {@code ShardedRunTest}.
 */
@DisplayName("ShardMerge: shard reports into one, refusing what would make the verdict a lie")
class ShardMergeTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A unit of the hand-made run: its id, its shard, and its cases or (for a trajectory unit) trajectories. */
    private record Unit(String id, int shard, List<String> members) {
        boolean trajectory() {
            return id.startsWith(WorkUnit.TRAJECTORY);
        }
    }

    /** The run's units in matrix order. */
    private static final List<Unit> UNITS = List.of(
            new Unit("cases:a/mnist", 1, List.of("a/mnist/float64/training", "a/mnist/float32/training")),
            new Unit("cases:b/mnist", 2, List.of("b/mnist/float64/training", "b/mnist/float32/training")),
            new Unit("cases:c/mnist", 2, List.of("c/mnist/float64/training")),
            new Unit("trajectory:a/mnist/sgd", 1, List.of("a/mnist/sgd/float64", "a/mnist/sgd/float32")));

    private static String plan() {
        List<ShardPlan.Placed> placed = new ArrayList<>();
        for (int i = 0; i < UNITS.size(); i++) {
            placed.add(new ShardPlan.Placed(i, UNITS.get(i).id(), UNITS.get(i).shard()));
        }
        return ShardPlan.fingerprint(2, placed);
    }

    /** Shard {@code index}/2's report: every member passing, nadam's defect reproducing in shard 1 only. */
    static ObjectNode shard(int index) {
        ObjectNode report = JSON.objectNode();
        report.putObject("environment").put("tensorflow_java", "1.1.0").put("cpu", "cpu of runner " + index)
                .put("cores", "2");
        report.put("passed", true);
        report.putObject("summary");
        ArrayNode cases = report.putArray("cases");
        ArrayNode trajectories = report.putArray("trajectories");
        ObjectNode shard = JSON.objectNode().put("index", index).put("count", 2).put("plan", plan());
        ArrayNode units = shard.putArray("units");
        for (int i = 0; i < UNITS.size(); i++) {
            Unit u = UNITS.get(i);
            if (u.shard() != index) {
                continue;
            }
            ObjectNode unit = units.addObject().put("id", u.id()).put("position", i);
            ArrayNode ids = unit.putArray(u.trajectory() ? "trajectories" : "cases");
            unit.putArray(u.trajectory() ? "cases" : "trajectories");
            for (String id : u.members()) {
                ids.add(id);
                ObjectNode member = (u.trajectory() ? trajectories : cases).addObject().put("id", id).put("passed", true);
                if (!u.trajectory()) {
                    member.putArray("checks").addObject().put("tensor", "loss").put("passed", true);
                }
            }
        }
        report.putArray("known_defects").addObject().put("optimizer", "nadam")
                .put("status", index == 1 ? "reproduces" : "not run").put("ok", true);
        report.set("shard", shard);
        return report;
    }

    private static ShardMerge.Input input(String name, JsonNode report) {
        return new ShardMerge.Input(name, report);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    @Nested
    @DisplayName("a complete set of shards")
    class Complete {

        private final ObjectNode merged = ShardMerge.merge(List.of(input("s2.json", shard(2)),
                input("s1.json", shard(1))));

        @Test
        @DisplayName("gives the cases and trajectories in the run's order, whatever the files' order")
        void order() {
            assertThat(ids(merged.path("cases"))).containsExactly("a/mnist/float64/training",
                    "a/mnist/float32/training", "b/mnist/float64/training", "b/mnist/float32/training",
                    "c/mnist/float64/training");
            assertThat(ids(merged.path("trajectories"))).containsExactly("a/mnist/sgd/float64", "a/mnist/sgd/float32");
        }

        @Test
        @DisplayName("counts the verdict and summary again, and carries no shard section: it is a whole run's report")
        void summary() {
            assertThat(merged.path("passed").asBoolean()).as("passed").isTrue();
            assertThat(merged.path("summary").path("cases").asInt()).as("cases").isEqualTo(5);
            assertThat(merged.path("summary").path("checks").asInt()).as("checks").isEqualTo(5);
            assertThat(merged.path("summary").path("trajectories").asInt()).as("trajectories").isEqualTo(2);
            assertThat(merged.has("shard")).as("a shard section").isFalse();
        }

        @Test
        @DisplayName("a known defect reproduces when it reproduced in any shard")
        void knownDefects() {
            assertThat(merged.path("known_defects").get(0).path("status").asText()).isEqualTo("reproduces");
        }

        @Test
        @DisplayName("the machines may differ: the merged environment lists each value seen, in shard order")
        void machines() {
            assertThat(merged.path("environment").path("cpu").asText()).isEqualTo("cpu of runner 1 | cpu of runner 2");
            assertThat(merged.path("environment").path("cores").asText()).isEqualTo("2");
        }

        @Test
        @DisplayName("one failing case in one shard fails the merged run")
        void failingCase() {
            ObjectNode two = shard(2);
            ((ObjectNode) two.path("cases").get(0)).put("passed", false);

            JsonNode failed = ShardMerge.merge(List.of(input("s1.json", shard(1)), input("s2.json", two)));

            assertThat(failed.path("passed").asBoolean()).as("passed").isFalse();
            assertThat(failed.path("summary").path("failed_cases").asInt()).as("failed cases").isEqualTo(1);
        }

        @Test
        @DisplayName("a known defect FIXED? in one shard is FIXED? in the run, and fails it")
        void fixedDefect() {
            ObjectNode one = shard(1);
            ((ObjectNode) one.path("known_defects").get(0)).put("status", "FIXED?").put("ok", false);

            JsonNode failed = ShardMerge.merge(List.of(input("s1.json", one), input("s2.json", shard(2))));

            assertThat(failed.path("known_defects").get(0).path("status").asText()).isEqualTo("FIXED?");
            assertThat(failed.path("passed").asBoolean()).as("passed").isFalse();
        }

        @Test
        @DisplayName("baseline comparisons are united: rows in the run's order, passed only when every shard's passed")
        void baselines() {
            ObjectNode one = withBaseline(shard(1), true, "a/mnist/sgd/float64", "a/mnist/float32/training");
            ObjectNode two = withBaseline(shard(2), false, "b/mnist/float64/training");

            JsonNode b = ShardMerge.merge(List.of(input("s1.json", one), input("s2.json", two))).path("baseline");

            assertThat(ids(b.path("errors"))).containsExactly("a/mnist/float32/training", "b/mnist/float64/training",
                    "a/mnist/sgd/float64");
            assertThat(b.path("passed").asBoolean()).as("baseline passed").isFalse();
        }

        @Test
        @DisplayName("the verdict line counts the errors that grew beyond the baseline in every shard")
        void baselineVerdict() {
            ObjectNode one = withBaseline(shard(1), true, "a/mnist/float32/training");
            ObjectNode two = withBaseline(shard(2), false, "b/mnist/float64/training", "c/mnist/float64/training");

            ReportSummary summary = ReportSummary.of(ShardMerge.merge(List.of(input("s1.json", one),
                    input("s2.json", two))));

            assertThat(summary.passed()).as("passed").isFalse();
            assertThat(summary.verdictLine()).endsWith("; 2 errors grew beyond the baseline");
        }
    }

    private static ObjectNode withBaseline(ObjectNode report, boolean passed, String... rows) {
        ObjectNode b = report.putObject("baseline").put("file", "zoo.json").put("passed", passed).put("rule", "3x")
                .put("factor", 3).put("floor_roundings", 4);
        ArrayNode errors = b.putArray("errors");
        for (String id : rows) {
            errors.addObject().put("id", id).put("what", "loss").put("passed", passed);
        }
        b.putArray("drift");
        return report;
    }

    /** A refusal: what is wrong, the reports given, a part of the message. */
    private static Arguments refused(String what, List<ShardMerge.Input> inputs, String message) {
        return Arguments.of(what, inputs, message);
    }

    private static ObjectNode edited(int index, Consumer<ObjectNode> edit) {
        ObjectNode report = shard(index);
        edit.accept(report);
        return report;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused("a report of a run without --shard", List.of(input("s1.json", shard(1)),
                        input("full.json", edited(2, r -> r.remove("shard")))),
                        "full.json: is not the report of a shard (no \"shard\" section"),
                refused("shards of different splits", List.of(input("s1.json", shard(1)),
                        input("s2of3.json", edited(2, r -> ((ObjectNode) r.path("shard")).put("count", 3)))),
                        "s2of3.json: is shard 2/3, but s1.json is of 2 shards; expected the shards of one split"),
                refused("a shard given twice", List.of(input("s1.json", shard(1)), input("copy.json", shard(1))),
                        "copy.json: is shard 1/2, and so is s1.json; expected each shard once"),
                refused("a missing shard", List.of(input("s2.json", shard(2))),
                        "shard(s) 1/2 missing: expected the reports of all 2 shards, found 2"),
                refused("shards of different plans", List.of(input("s1.json", shard(1)),
                        input("other.json", edited(2, r -> ((ObjectNode) r.path("shard")).put("plan", "0123456789abcdef")))),
                        "other.json: was planned differently from s1.json (plan 0123456789ab vs "),
                refused("a unit in two shards", List.of(input("s1.json", shard(1)), input("s2.json", edited(2,
                                r -> ((ArrayNode) r.path("shard").path("units")).add(shard(1).path("shard").path("units").get(0))))),
                        "s2.json: runs the unit cases:a/mnist, and so does s1.json; overlapping shards"),
                refused("a case in two reports", List.of(input("s1.json", shard(1)), input("s2.json", edited(2,
                                r -> ((ArrayNode) r.path("cases")).add(shard(1).path("cases").get(0))))),
                        "s2.json: holds case a/mnist/float64/training, which the plan gives s1.json; overlapping shards"),
                refused("a case no unit names", List.of(input("s1.json", shard(1)), input("s2.json", edited(2,
                                r -> ((ArrayNode) r.path("cases")).addObject().put("id", "d/mnist/float64/training")))),
                        "s2.json: holds case d/mnist/float64/training, which none of the shards' units name"),
                refused("a case missing from its shard's report", List.of(input("s1.json", shard(1)),
                                input("s2.json", edited(2, r -> ((ArrayNode) r.path("cases")).remove(0)))),
                        "s2.json: lacks case b/mnist/float64/training, which its plan gave it"),
                refused("a unit edited out of the plan", List.of(input("s1.json", shard(1)),
                                input("s2.json", edited(2, r -> ((ArrayNode) r.path("shard").path("units")).remove(1)))),
                        "do not make up their plan"),
                refused("another TensorFlow Java", List.of(input("s1.json", shard(1)), input("s2.json",
                                edited(2, r -> ((ObjectNode) r.path("environment")).put("tensorflow_java", "1.0.0")))),
                        "s2.json: ran with tensorflow_java 1.0.0, but s1.json with 1.1.0; expected shards of one build"),
                refused("one shard gated by a baseline", List.of(input("s1.json", withBaseline(shard(1), true)),
                                input("s2.json", shard(2))),
                        "s2.json: was not gated by a baseline, but s1.json was"),
                refused("other known defects", List.of(input("s1.json", shard(1)), input("s2.json",
                                edited(2, r -> ((ArrayNode) r.path("known_defects")).removeAll()))),
                        "s2.json: lists the known defects [], but s1.json [nadam]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    @DisplayName("refused as bad input naming the file and what was expected")
    void refuses(String what, List<ShardMerge.Input> inputs, String message) {
        assertThatThrownBy(() -> ShardMerge.merge(inputs)).as(what).isInstanceOf(FixtureException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }
}
