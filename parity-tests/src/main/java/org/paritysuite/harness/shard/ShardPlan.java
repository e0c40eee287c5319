package org.paritysuite.harness.shard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.paritysuite.harness.run.Fingerprint;

/**
 * Which shard runs which unit of work: every unit in exactly one of {@code count} shards, the
 * shards' planned costs balanced. Every shard computes the same plan on its own, from the same
 * units and cost table, with nothing shared but the command line: the plan is a pure function of
 * them.
 *
 * <p>The rule is longest processing time first (Graham, "Bounds on multiprocessing timing
 * anomalies", SIAM J. Appl. Math. 17(2), 1969): the units by decreasing cost, ties by id, each to
 * the shard with the least cost so far, ties to the lowest index. The costliest shard then costs at
 * most {@code 4/3 - 1/(3N)} times the best possible split, and at most the ideal {@code total / N}
 * plus the costliest unit.
 */
public final class ShardPlan {

    /**
     * A unit's place in the plan.
     *
     * @param unit     the unit
     * @param position its place in the run's matrix order (0 first), which a merge restores
     * @param cost     its planned cost in ms ({@link CostTable#cost})
     * @param measured whether the cost table listed it (else it is costed by the table's fallback)
     * @param shard    the shard index that runs it, 1 to {@code count}
     */
    public record Assignment(WorkUnit unit, int position, double cost, boolean measured, int shard) {
    }

    private final int count;
    private final List<Assignment> assignments;

    private ShardPlan(int count, List<Assignment> assignments) {
        this.count = count;
        this.assignments = List.copyOf(assignments);
    }

    /**
     * The plan of {@code units} (in matrix order) over {@code count} shards, costed by {@code costs};
     * there must be at least {@code count} units, so that no shard is empty.
     */
    public static ShardPlan of(List<WorkUnit> units, CostTable costs, int count) {
        if (count < 1 || count > units.size()) {
            throw new IllegalArgumentException("a plan of " + count + " shard(s) needs 1 to " + units.size()
                    + " shards for " + units.size() + " units");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            order.add(i);
        }
        double[] cost = units.stream().mapToDouble(costs::cost).toArray();
        order.sort(Comparator.comparingDouble((Integer i) -> -cost[i]).thenComparing(i -> units.get(i).id()));
        double[] load = new double[count];
        int[] shardOf = new int[units.size()];
        for (int i : order) {
            int least = 0;
            for (int s = 1; s < count; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            load[least] += cost[i];
            shardOf[i] = least + 1;
        }
        List<Assignment> assignments = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            assignments.add(new Assignment(units.get(i), i, cost[i], costs.lists(units.get(i)), shardOf[i]));
        }
        return new ShardPlan(count, assignments);
    }

    /** The number of shards. */
    public int count() {
        return count;
    }

    /** Every unit's assignment, in matrix order. */
    public List<Assignment> assignments() {
        return assignments;
    }

    /** The assignments of shard {@code index}, in matrix order. */
    public List<Assignment> assignmentsOf(int index) {
        return assignments.stream().filter(a -> a.shard() == index).toList();
    }

    /** The planned cost of shard {@code index} in ms. */
    public double cost(int index) {
        return assignmentsOf(index).stream().mapToDouble(Assignment::cost).sum();
    }

    /** The planned cost of the whole run in ms. */
    public double totalCost() {
        return assignments.stream().mapToDouble(Assignment::cost).sum();
    }

    /** How many units the cost table did not list, costed by its fallback. */
    public long unmeasured() {
        return assignments.stream().filter(a -> !a.measured()).count();
    }

    /** The plan's fingerprint ({@link #fingerprint(int, List)}). */
    public String fingerprint() {
        return fingerprint(count, assignments.stream().map(a -> new Placed(a.position(), a.unit().id(), a.shard()))
                .toList());
    }

    /** A unit's id and place, all a fingerprint covers. */
    public record Placed(int position, String id, int shard) {
    }

    /**
     * A SHA-256 digest of a plan: its shard count and each unit's position, id and shard (not its
     * cost: two cost tables that split a run the same way make the same plan). Shards that record
     * equal fingerprints were cut from one run, and the units they list make up the whole of it when
     * their own fingerprint is that one again ({@link ShardMerge}).
     */
    public static String fingerprint(int count, List<Placed> placed) {
        Fingerprint f = Fingerprint.start().add("shard plan of " + count);
        placed.stream().sorted(Comparator.comparingInt(Placed::position))
                .forEach(p -> f.add(p.position() + "\t" + p.id() + "\t" + p.shard()));
        return f.hex();
    }

    /**
     * The {@code "shard"} section of shard {@code shard}'s JSON report: its index, count, the plan's
     * fingerprint, its and the run's planned cost, what costed them, and each of its units with its
     * position, planned cost and the ids of its cases and trajectories (docs/sharding.md).
     */
    public ObjectNode describe(Shard shard, String costSource) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("index", shard.index());
        node.put("count", shard.count());
        node.put("plan", fingerprint());
        node.put("cost_table", costSource);
        node.put("planned_ms", cost(shard.index()));
        node.put("run_planned_ms", totalCost());
        ArrayNode units = node.putArray("units");
        for (Assignment a : assignmentsOf(shard.index())) {
            ObjectNode unit = units.addObject();
            unit.put("id", a.unit().id());
            unit.put("position", a.position());
            unit.put("planned_ms", a.cost());
            a.unit().caseIds().forEach(unit.putArray("cases")::add);
            a.unit().trajectoryIds().forEach(unit.putArray("trajectories")::add);
        }
        return node;
    }
}
