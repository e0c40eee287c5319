package org.paritysuite.harness.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.harness.training.TrajectoryCase;

/** Cost tables: the committed one, reading one of your own, measuring one from a report, and the fallback. */
@DisplayName("CostTable: measured unit costs")
class CostTableTest {

    private static final String HEADER = "# a comment\n" + CostTable.HEADER + "\n";

    private static WorkUnit cases(String id) {
        return new WorkUnit(id, List.of(), List.of());
    }

    /** cs172-linear's own training on mnist, float64 and float32, {@code steps} steps each. */
    private static WorkUnit trajectory(int steps) {
        var spec = ModelZoo.load("cs172-linear");
        var twins = List.of(new TrajectoryCase(spec, Dataset.MNIST, Precision.FLOAT64, steps),
                new TrajectoryCase(spec, Dataset.MNIST, Precision.FLOAT32, steps));
        return WorkUnit.of(List.of(), twins).get(0);
    }

    @Nested
    @DisplayName("the committed table")
    class Committed {

        @Test
        @DisplayName("reads, and costs the zoo's units by measurement: every cost positive")
        void reads() {
            CostTable table = CostTable.committed();

            assertThat(table.millis()).as("the committed table's units").isNotEmpty()
                    .allSatisfy((unit, ms) -> assertThat(ms).as("cost of %s", unit).isPositive())
                    .containsKey("cases:ist597-mlp/mnist").containsKey("trajectory:cs172-linear/mnist/sgd");
        }
    }

    @Nested
    @DisplayName("costing a unit")
    class Costing {

        private final CostTable table = CostTable.parse(List.of((HEADER + "cases:a/mnist\t400\ncases:b/mnist\t900\n"
                + "trajectory:cs172-linear/mnist/sgd\t10\ntrajectory:x/mnist/adam\t30\n").split("\n")), "t.tsv");

        @Test
        @DisplayName("a listed unit of cases costs its listed ms")
        void listed() {
            assertThat(table.cost(cases("cases:a/mnist"))).isEqualTo(400);
            assertThat(table.lists(cases("cases:a/mnist"))).isTrue();
        }

        @Test
        @DisplayName("a trajectory unit costs its listed ms per step times its steps")
        void perStep() {
            assertThat(table.cost(trajectory(20))).as("20 steps of 10 ms").isEqualTo(200);
            assertThat(table.cost(trajectory(3))).as("3 steps of 10 ms").isEqualTo(30);
        }

        @Test
        @DisplayName("an unlisted unit costs the greatest listed cost of its kind, so unknown work is spread out")
        void fallback() {
            assertThat(table.cost(cases("cases:mine/mnist"))).as("an unknown unit of cases").isEqualTo(900);
            assertThat(table.lists(cases("cases:mine/mnist"))).isFalse();
            CostTable onlyCases = CostTable.parse(List.of((HEADER + "cases:a/mnist\t400").split("\n")), "t.tsv");
            assertThat(onlyCases.cost(trajectory(2))).as("a trajectory when the table lists none")
                    .isEqualTo(2 * CostTable.UNKNOWN_STEP_MS);
        }
    }

    @Nested
    @DisplayName("a table of your own (--cost-table FILE)")
    class OwnTable {

        @TempDir
        Path dir;

        @Test
        @DisplayName("written and read back: the same costs")
        void roundTrip() {
            CostTable table = CostTable.parse(List.of((HEADER + "cases:a/mnist\t412.5\n").split("\n")), "t.tsv");
            Path file = dir.resolve("costs.tsv");
            table.write(file, "measured here\nsecond line");

            assertThat(CostTable.read(file, "--cost-table").millis()).isEqualTo(table.millis());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "an empty file              | ''                                              | no header 'unit<TAB>ms'",
                "a report, not a table      | '{\"cases\": []}'                               | line 1: expected the header 'unit<TAB>ms'",
                "a cost that is not a number| 'unit\\tms\\ncases:a/mnist\\tfast'                | line 2: the cost of cases:a/mnist must be a finite number of ms > 0, found 'fast'",
                "a zero cost                | 'unit\\tms\\ncases:a/mnist\\t0'                   | must be a finite number of ms > 0, found '0'",
                "a negative cost            | 'unit\\tms\\ncases:a/mnist\\t-5'                  | found '-5'",
                "an infinite cost           | 'unit\\tms\\ncases:a/mnist\\tInfinity'            | found 'Infinity'",
                "NaN                        | 'unit\\tms\\ncases:a/mnist\\tNaN'                 | found 'NaN'",
                "a unit listed twice        | 'unit\\tms\\ncases:a/mnist\\t1\\ncases:a/mnist\\t2' | line 3: unit cases:a/mnist is listed twice",
                "three fields               | 'unit\\tms\\ncases:a/mnist\\t1\\t2'                | expected 2 tab-separated fields (unit, ms), found 3",
                "spaces, not a tab          | 'unit\\tms\\ncases:a/mnist 1'                    | expected 2 tab-separated fields (unit, ms), found 1",
                "an unknown kind of unit    | 'unit\\tms\\nmodel:a\\t1'                         | unit 'model:a' is not of the form cases:MODEL/DATASET"})
        @DisplayName("a bad file is refused with the option, the file, the line and what was expected")
        void refuses(String what, String text, String message) throws IOException {
            Path file = dir.resolve("bad.tsv");
            Files.writeString(file, text.replace("\\t", "\t").replace("\\n", "\n"));

            assertThatThrownBy(() -> CostTable.read(file, "--cost-table")).as(what)
                    .isInstanceOf(FixtureException.class)
                    .hasMessageStartingWith("--cost-table " + file)
                    .hasMessageContaining(message);
        }

        @Test
        @DisplayName("a missing file is refused")
        void missing() {
            assertThatThrownBy(() -> CostTable.read(dir.resolve("absent.tsv"), "--cost-table"))
                    .isInstanceOf(FixtureException.class).hasMessageEndingWith("no such cost table file");
        }
    }

    @Nested
    @DisplayName("measured by a report (parity costs)")
    class Measured {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Test
        @DisplayName("a unit of cases costs the sum of its cases' wall times; a trajectory unit its twins' per step")
        void sums() throws IOException {
            CostTable table = CostTable.measuredBy(JSON.readTree("""
                    {"cases": [
                      {"id": "a/mnist/float64/training", "model": "a", "dataset": "mnist", "timing_ms": {"wall": 100}},
                      {"id": "a/mnist/float32/training", "model": "a", "dataset": "mnist", "timing_ms": {"wall": 50}},
                      {"id": "a/fashion-mnist/float64/training", "model": "a", "dataset": "fashion-mnist",
                       "timing_ms": {"wall": 7}}],
                     "trajectories": [
                      {"id": "a/mnist/rmsprop{lr=0.001,rho=0.9}/float64", "model": "a", "dataset": "mnist",
                       "precision": "float64", "steps": 20, "timing_ms": {"wall": 400}},
                      {"id": "a/mnist/rmsprop{lr=0.001,rho=0.9}/float32", "model": "a", "dataset": "mnist",
                       "precision": "float32", "steps": 20, "timing_ms": {"wall": 200}}]}
                    """), "r.json");

            assertThat(table.millis()).containsEntry("cases:a/mnist", 150.0).containsEntry("cases:a/fashion-mnist", 7.0)
                    .containsEntry("trajectory:a/mnist/rmsprop{lr=0.001,rho=0.9}", 30.0).hasSize(3);
        }

        @Test
        @DisplayName("a report without wall times (an older parity's) is refused")
        void olderReport() throws IOException {
            var report = JSON.readTree("""
                    {"cases": [{"id": "a/mnist/float64/training", "model": "a", "dataset": "mnist",
                                "timing_ms": {"tensorflow": 1, "reference": 1}}]}""");

            assertThatThrownBy(() -> CostTable.measuredBy(report, "r.json")).isInstanceOf(FixtureException.class)
                    .hasMessage("r.json: a/mnist/float64/training has no timing_ms.wall > 0; expected a report written"
                            + " by this parity verify --json");
        }
    }
}
