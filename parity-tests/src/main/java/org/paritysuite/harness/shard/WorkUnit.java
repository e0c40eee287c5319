package org.paritysuite.harness.shard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * What must run on one machine, the smallest thing a shard plan hands out: a model's cases on one
 * data set (every precision and pass: they share the model's runners, and the float64 case is its
 * float32 twin's referee), or one training trajectory in every precision chosen (the float64
 * trajectory's free-running reference referees its float32 twin, stepped beside it).
 *
 * @param id           {@code cases:MODEL/DATASET} or {@code trajectory:MODEL/DATASET/OPTIMIZER}
 *                     ({@link TrajectoryCase#optimizerLabel()}): the name in cost tables and shard
 *                     reports, the same in every run
 * @param cases        the unit's cases, in matrix order
 * @param trajectories the unit's trajectories, in matrix order
 */
public record WorkUnit(String id, List<ParityCase> cases, List<TrajectoryCase> trajectories) {

    /** The prefix of a unit of cases' id. */
    public static final String CASES = "cases:";

    /** The prefix of a trajectory unit's id. */
    public static final String TRAJECTORY = "trajectory:";

    public WorkUnit {
        cases = List.copyOf(cases);
        trajectories = List.copyOf(trajectories);
    }

    /**
     * The units of a run of {@code cases}, then {@code trajectories}, in the order their first
     * member comes in: the matrix lists a unit's members one after another (model, data set, pass,
     * precision; optimizer, precision), so the units in this order, each member in its own order,
     * are the matrix in its order again.
     */
    public static List<WorkUnit> of(List<ParityCase> cases, List<TrajectoryCase> trajectories) {
        Map<String, List<ParityCase>> caseUnits = new LinkedHashMap<>();
        cases.forEach(c -> caseUnits.computeIfAbsent(casesId(c.spec().name(), c.dataset()), k -> new ArrayList<>())
                .add(c));
        Map<String, List<TrajectoryCase>> trajectoryUnits = new LinkedHashMap<>();
        trajectories.forEach(t -> trajectoryUnits.computeIfAbsent(trajectoryId(t.spec().name(), t.dataset().id(),
                t.optimizerLabel()), k -> new ArrayList<>()).add(t));
        List<WorkUnit> units = new ArrayList<>();
        caseUnits.forEach((id, members) -> units.add(new WorkUnit(id, members, List.of())));
        trajectoryUnits.forEach((id, members) -> units.add(new WorkUnit(id, List.of(), members)));
        return units;
    }

    /** The id of the unit holding {@code model}'s cases on {@code dataset}. */
    public static String casesId(String model, String dataset) {
        return CASES + model + "/" + dataset;
    }

    /** The id of the unit holding {@code model}'s trajectories with {@code optimizerLabel} on {@code dataset}. */
    public static String trajectoryId(String model, String dataset, String optimizerLabel) {
        return TRAJECTORY + model + "/" + dataset + "/" + optimizerLabel;
    }

    /** The ids of the unit's cases ({@link CaseResult#id()}), in matrix order. */
    public List<String> caseIds() {
        return cases.stream().map(CaseResult::idOf).toList();
    }

    /** The ids of the unit's trajectories ({@link TrajectoryCase#id()}), in matrix order. */
    public List<String> trajectoryIds() {
        return trajectories.stream().map(TrajectoryCase::id).toList();
    }

    /**
     * The steps each of the unit's trajectories takes (a run gives every trajectory the same
     * length), or 0 for a unit of cases: trajectory costs are per step ({@link CostTable}).
     */
    public int steps() {
        return trajectories.isEmpty() ? 0 : trajectories.get(0).steps();
    }
}
