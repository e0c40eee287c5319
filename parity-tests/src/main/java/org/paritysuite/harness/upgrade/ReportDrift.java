package org.paritysuite.harness.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.harness.report.ReportJson;

/**
 * Two JSON reports of {@code parity verify} side by side (docs/report-format.md): each tensor's
 * scaled error, each trajectory's greatest judged error and final divergence, each verdict and
 * each known defect's status, before and after.
 *
 * @param before       the earlier report's environment (versions)
 * @param after        the later report's environment
 * @param tensors      every tensor of every case both reports ran, in the earlier report's order
 * @param trajectories every trajectory both reports ran
 * @param verdicts     cases and trajectories whose verdict differs, or that only one report ran
 * @param knownDefects each known defect's status before and after, by optimizer
 */
public record ReportDrift(Map<String, String> before, Map<String, String> after, List<TensorDrift> tensors,
                          List<TrajectoryDrift> trajectories, List<String> verdicts,
                          Map<String, DefectStatus> knownDefects) {

    /**
     * A known defect's status in each report ({@code reproduces}, {@code FIXED?}, {@code not run},
     * or {@code -} when the report does not list it).
     *
     * @param before its status in the earlier report
     * @param after  its status in the later report
     */
    public record DefectStatus(String before, String after) {
    }

    /**
     * One tensor before and after.
     *
     * @param caseId    the case's id
     * @param precision the case's precision
     * @param kind      the tensor's kind ({@code activation}, {@code gradient}, ...)
     * @param tensor    the tensor's name
     * @param before    its scaled error in the earlier report
     * @param after     its scaled error in the later report
     */
    public record TensorDrift(String caseId, String precision, String kind, String tensor, double before,
                              double after) {

        /** Whether the error differs at all between the two reports (in any bit). */
        public boolean changed() {
            return !Objects.equals(before, after);
        }

        /**
         * How much the error changed: {@code after / before}, each taken as at least one rounding
         * ({@code u} of the precision, the errors being scaled): an error of 0 and an error of one
         * rounding are the same finding, and a ratio against 0 would rank them above every real change.
         */
        public double ratio() {
            double rounding = Precision.fromLabel(precision).unitRoundoff();
            return Math.max(after, rounding) / Math.max(before, rounding);
        }
    }

    /**
     * One trajectory before and after.
     *
     * @param id              the trajectory's id
     * @param optimizer       its optimizer
     * @param precision       its precision
     * @param judgedBefore    the greatest judged scaled error over its steps, earlier report
     * @param judgedAfter     the same, later report
     * @param partedBefore    the final weight divergence of the free-running trajectories, earlier report
     * @param partedAfter     the same, later report
     */
    public record TrajectoryDrift(String id, String optimizer, String precision, double judgedBefore,
                                  double judgedAfter, double partedBefore, double partedAfter) {
    }

    /** Sets {@code before} and {@code after} side by side. */
    public static ReportDrift of(JsonNode before, JsonNode after) {
        Map<String, JsonNode> casesAfter = byId(after.path("cases"));
        Map<String, JsonNode> trajectoriesAfter = byId(after.path("trajectories"));
        List<TensorDrift> tensors = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (JsonNode c : before.path("cases")) {
            String id = c.path("id").asText();
            JsonNode later = casesAfter.remove(id);
            if (later == null) {
                verdicts.add(id + ": only in the earlier report");
                continue;
            }
            if (c.path("passed").asBoolean() != later.path("passed").asBoolean()) {
                verdicts.add(id + ": " + passText(c) + " -> " + passText(later));
            }
            Map<String, JsonNode> checksAfter = new LinkedHashMap<>();
            later.path("checks").forEach(k -> checksAfter.put(k.path("kind").asText() + "/" + k.path("tensor").asText(), k));
            for (JsonNode k : c.path("checks")) {
                JsonNode kAfter = checksAfter.get(k.path("kind").asText() + "/" + k.path("tensor").asText());
                tensors.add(new TensorDrift(id, c.path("precision").asText(), k.path("kind").asText(),
                        k.path("tensor").asText(), scaled(k), kAfter == null ? Double.NaN : scaled(kAfter)));
            }
        }
        casesAfter.keySet().forEach(id -> verdicts.add(id + ": only in the later report"));
        List<TrajectoryDrift> trajectories = new ArrayList<>();
        for (JsonNode t : before.path("trajectories")) {
            String id = t.path("id").asText();
            JsonNode later = trajectoriesAfter.remove(id);
            if (later == null) {
                verdicts.add(id + ": only in the earlier report");
                continue;
            }
            if (!t.path("verdict").asText().equals(later.path("verdict").asText())) {
                verdicts.add(id + ": " + t.path("verdict").asText() + " -> " + later.path("verdict").asText());
            }
            trajectories.add(new TrajectoryDrift(id, t.path("optimizer").asText(), t.path("precision").asText(),
                    greatestJudged(t), greatestJudged(later), number(t.path("final_weight_divergence")),
                    number(later.path("final_weight_divergence"))));
        }
        trajectoriesAfter.keySet().forEach(id -> verdicts.add(id + ": only in the later report"));
        Map<String, String> statusBefore = statuses(before);
        Map<String, String> statusAfter = statuses(after);
        Map<String, DefectStatus> defects = new TreeMap<>();
        statusBefore.keySet().forEach(o -> defects.put(o, null));
        statusAfter.keySet().forEach(o -> defects.put(o, null));
        defects.replaceAll((o, none) -> new DefectStatus(statusBefore.getOrDefault(o, "-"),
                statusAfter.getOrDefault(o, "-")));
        return new ReportDrift(strings(before.path("environment")), strings(after.path("environment")), tensors,
                trajectories, verdicts, defects);
    }

    /**
     * The greatest error before and after, per {@code group} (e.g. tensor kind and precision), with
     * the tensor whose error changed most: what the upgrade table in the README is made of.
     */
    public Map<String, Summary> summarise(java.util.function.Function<TensorDrift, String> group) {
        Map<String, Summary> groups = new TreeMap<>();
        for (TensorDrift t : tensors) {
            groups.merge(group.apply(t), new Summary(t.before(), t.after(), t), Summary::plus);
        }
        return groups;
    }

    /**
     * A group of tensors: the greatest scaled error before and after, and the tensor whose error
     * changed most (by ratio, in either direction).
     *
     * @param before      the greatest error in the earlier report
     * @param after       the greatest error in the later report
     * @param mostChanged the tensor whose error grew or shrank by the greatest factor
     */
    public record Summary(double before, double after, TensorDrift mostChanged) {

        Summary plus(Summary other) {
            return new Summary(Math.max(before, other.before), Math.max(after, other.after),
                    change(other.mostChanged) > change(mostChanged) ? other.mostChanged : mostChanged);
        }

        /** The factor by which a tensor's error changed, >= 1 in either direction; infinite for NaN. */
        static double change(TensorDrift t) {
            double r = t.ratio();
            if (!(r > 0) || Double.isInfinite(r)) {
                return Objects.equals(t.before(), t.after()) ? 1 : Double.POSITIVE_INFINITY;
            }
            return Math.max(r, 1 / r);
        }
    }

    /** The tensors whose error changed at all, by the greatest factor first, at most {@code n}. */
    public List<TensorDrift> mostChanged(int n) {
        return tensors.stream().filter(TensorDrift::changed)
                .sorted(Comparator.comparingDouble(Summary::change).reversed()).limit(n).toList();
    }

    /**
     * The trajectories grouped by optimizer (its name, hyperparameters aside) and precision: the
     * greatest judged error and final divergence before and after, and how many trajectories
     * changed at all. This is the per-optimizer answer to the upgrade question.
     */
    public Map<String, OptimizerSummary> perOptimizer() {
        Map<String, OptimizerSummary> groups = new TreeMap<>();
        for (TrajectoryDrift t : trajectories) {
            String optimizer = t.optimizer().replaceFirst("\\{.*", "");
            groups.merge(optimizer + " " + t.precision(), OptimizerSummary.of(optimizer, t), OptimizerSummary::plus);
        }
        return groups;
    }

    /**
     * One optimizer in one precision over all its trajectories.
     *
     * @param optimizer    the optimizer's name
     * @param precision    the precision
     * @param trajectories how many trajectories it ran
     * @param changed      how many of them changed in judged error or final divergence
     * @param judgedBefore the greatest judged error, earlier report
     * @param judgedAfter  the greatest judged error, later report
     * @param partedBefore the greatest final divergence, earlier report
     * @param partedAfter  the greatest final divergence, later report
     */
    public record OptimizerSummary(String optimizer, String precision, int trajectories, int changed,
                                   double judgedBefore, double judgedAfter, double partedBefore, double partedAfter) {

        static OptimizerSummary of(String optimizer, TrajectoryDrift t) {
            boolean changed = !Objects.equals(t.judgedBefore(), t.judgedAfter())
                    || !Objects.equals(t.partedBefore(), t.partedAfter());
            return new OptimizerSummary(optimizer, t.precision(), 1, changed ? 1 : 0, t.judgedBefore(),
                    t.judgedAfter(), t.partedBefore(), t.partedAfter());
        }

        OptimizerSummary plus(OptimizerSummary o) {
            return new OptimizerSummary(optimizer, precision, trajectories + o.trajectories, changed + o.changed,
                    Math.max(judgedBefore, o.judgedBefore), Math.max(judgedAfter, o.judgedAfter),
                    Math.max(partedBefore, o.partedBefore), Math.max(partedAfter, o.partedAfter));
        }
    }

    private static Map<String, String> statuses(JsonNode report) {
        Map<String, String> statuses = new LinkedHashMap<>();
        report.path("known_defects").forEach(d -> statuses.put(ReportJson.defectName(d),
                d.path("status").asText()));
        return statuses;
    }

    private static double greatestJudged(JsonNode trajectory) {
        double max = 0;
        for (JsonNode s : trajectory.path("step_errors")) {
            max = Math.max(max, number(s.path("judged")));
        }
        return max;
    }

    private static double scaled(JsonNode check) {
        return number(check.path("scaled_error"));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static String passText(JsonNode c) {
        return c.path("passed").asBoolean() ? "PASS" : "FAIL";
    }

    private static Map<String, JsonNode> byId(JsonNode array) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        array.forEach(n -> byId.put(n.path("id").asText(), n));
        return byId;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
