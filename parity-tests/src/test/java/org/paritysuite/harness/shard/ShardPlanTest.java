package org.paritysuite.harness.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shard plans over the zoo's units of cases as the committed cost table lists them (costs from a
 * real full run; trajectory units are costed per step and need their trajectories, which
 * {@code ShardedRunTest} runs): every unit in one shard, the same plan however it is computed, and
 * the costliest shard within Graham's bound of the ideal.
 */
@DisplayName("ShardPlan: longest processing time first, deterministic")
class ShardPlanTest {

    private static final CostTable COSTS = CostTable.committed();

    /** The committed table's units of cases, in its (sorted) order, without members: a plan needs only ids. */
    private static List<WorkUnit> zooUnits() {
        return COSTS.millis().keySet().stream().filter(id -> id.startsWith(WorkUnit.CASES))
                .map(id -> new WorkUnit(id, List.of(), List.of())).toList();
    }

    private static Map<String, Integer> shardOfEachUnit(ShardPlan plan) {
        return plan.assignments().stream().collect(Collectors.toMap(a -> a.unit().id(), ShardPlan.Assignment::shard));
    }

    @Nested
    @DisplayName("coverage")
    class Coverage {

        @ParameterizedTest(name = "N = {0}")
        @ValueSource(ints = {1, 2, 3, 4, 7, 16})
        @DisplayName("every unit is in exactly one shard, and the shards together are the whole run")
        void partition(int n) {
            List<WorkUnit> units = zooUnits();
            ShardPlan plan = ShardPlan.of(units, COSTS, n);

            List<String> union = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                List<ShardPlan.Assignment> mine = plan.assignmentsOf(k);
                assertThat(mine).as("shard %d/%d's units", k, n).isNotEmpty();
                mine.forEach(a -> union.add(a.unit().id()));
            }
            assertThat(union).as("the units of all %d shards", n).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(units.stream().map(WorkUnit::id).toList());
        }

        @Test
        @DisplayName("a shard's units keep the run's order, so a merge can restore it")
        void order() {
            ShardPlan plan = ShardPlan.of(zooUnits(), COSTS, 3);

            for (int k = 1; k <= 3; k++) {
                assertThat(plan.assignmentsOf(k)).extracting(ShardPlan.Assignment::position).as("positions in shard %d", k)
                        .isSorted();
            }
        }
    }

    @Nested
    @DisplayName("determinism")
    class Determinism {

        @Test
        @DisplayName("the units' order in the matrix does not change which shard runs which unit")
        void orderIndependent() {
            List<WorkUnit> shuffled = new ArrayList<>(zooUnits());
            Collections.shuffle(shuffled, new Random(7));

            assertThat(shardOfEachUnit(ShardPlan.of(shuffled, COSTS, 4)))
                    .isEqualTo(shardOfEachUnit(ShardPlan.of(zooUnits(), COSTS, 4)));
        }

        @Test
        @DisplayName("two computations of one plan have one fingerprint; another split another")
        void fingerprint() {
            assertThat(ShardPlan.of(zooUnits(), COSTS, 4).fingerprint())
                    .isEqualTo(ShardPlan.of(zooUnits(), COSTS, 4).fingerprint())
                    .isNotEqualTo(ShardPlan.of(zooUnits(), COSTS, 3).fingerprint());
        }

        @Test
        @DisplayName("equal costs are dealt out by id, each to the least loaded shard, the lowest index first")
        void ties() {
            List<WorkUnit> units = IntStream.of(3, 1, 4, 2).mapToObj(i -> new WorkUnit("cases:m" + i + "/mnist",
                    List.of(), List.of())).toList();
            CostTable equal = CostTable.parse(List.of(CostTable.HEADER, "cases:m1/mnist\t5", "cases:m2/mnist\t5",
                    "cases:m3/mnist\t5", "cases:m4/mnist\t5"), "t.tsv");

            assertThat(shardOfEachUnit(ShardPlan.of(units, equal, 2))).isEqualTo(Map.of("cases:m1/mnist", 1,
                    "cases:m2/mnist", 2, "cases:m3/mnist", 1, "cases:m4/mnist", 2));
        }
    }

    @Nested
    @DisplayName("balance")
    class Balance {

        @ParameterizedTest(name = "N = {0}")
        @ValueSource(ints = {2, 3, 4, 8})
        @DisplayName("the costliest shard costs at most the ideal total/N plus the costliest unit (Graham's bound)")
        void grahamBound(int n) {
            ShardPlan plan = ShardPlan.of(zooUnits(), COSTS, n);
            double ideal = plan.totalCost() / n;
            double largest = plan.assignments().stream().mapToDouble(ShardPlan.Assignment::cost).max().orElseThrow();
            double worst = IntStream.rangeClosed(1, n).mapToDouble(plan::cost).max().orElseThrow();

            assertThat(worst).as("costliest of %d shards (ideal %.0f ms, costliest unit %.0f ms)", n, ideal, largest)
                    .isLessThanOrEqualTo(ideal + largest * (1 - 1.0 / n));
        }

        @ParameterizedTest(name = "N = {0}")
        @ValueSource(ints = {2, 3, 4, 8})
        @DisplayName("on the zoo's costs the costliest shard is within 1% of what no split can beat:"
                + " max(total/N, the costliest unit)")
        void zoo(int n) {
            ShardPlan plan = ShardPlan.of(zooUnits(), COSTS, n);
            double largest = plan.assignments().stream().mapToDouble(ShardPlan.Assignment::cost).max().orElseThrow();
            double lowerBound = Math.max(plan.totalCost() / n, largest);
            double worst = IntStream.rangeClosed(1, n).mapToDouble(plan::cost).max().orElseThrow();

            assertThat(worst / lowerBound).as("costliest of %d shards (%.0f ms) over the lower bound (%.0f ms)", n,
                    worst, lowerBound).isLessThanOrEqualTo(1.01);
        }

        @Test
        @DisplayName("costly units are spread: the plan never puts two units in one shard while another is empty")
        void noEmptyShard() {
            List<WorkUnit> units = zooUnits().subList(0, 5);
            ShardPlan plan = ShardPlan.of(units, COSTS, 5);

            assertThat(plan.assignments()).extracting(ShardPlan.Assignment::shard).as("one unit each")
                    .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        }
    }
}
