package org.paritysuite.harness.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.report.ReportJson;
import org.paritysuite.harness.report.ReportSummary;

/**
 * The JSON reports of a run's shards made into the run's one report, in the same format as a
 * report of the whole run ({@code docs/report-format.md}): its cases and trajectories in the
 * run's order, its known defects and baseline comparison merged, its verdict and summary counted
 * again ({@link ReportSummary}).
 *
 * <p>Refused, as bad input naming the file: a report without a {@code shard} section; shards of
 * different splits, or planned from different options or cost tables; a shard given twice, or
 * missing; a case or trajectory in two reports; a report lacking one its plan gave it; reports of
 * different builds or settings. What may differ between shards is the machine ({@link #MACHINE}),
 * since CI runs them on different runners: each case was judged where it ran, and the merged
 * environment lists every value seen.
 */
public final class ShardMerge {

    /** Environment entries that describe the machine, not the build: CI runners of one pool differ in them. */
    public static final Set<String> MACHINE = Set.of("cpu", "cores");

    /** One shard's report and the name it is known by in errors (its file). */
    public record Input(String name, JsonNode report) {
    }

    private ShardMerge() {
    }

    /** The merged report of {@code shards}, in any order, or bad input naming the file at fault. */
    public static ObjectNode merge(List<Input> shards) {
        if (shards.isEmpty()) {
            throw new FixtureException("no shard reports given; expected the JSON reports of every shard");
        }
        List<Input> ordered = requireEveryShardOnce(shards);
        Map<String, Unit> units = requireOnePlan(ordered);
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merged.set("environment", environment(ordered));
        // Placeholders, to keep the field order of a run's report; filled in at the end.
        merged.putNull("passed");
        merged.putObject("summary");
        List<Unit> inOrder = units.values().stream().sorted(Comparator.comparingInt(Unit::position)).toList();
        merged.set("cases", members(inOrder, "cases", Unit::cases));
        merged.set("trajectories", members(inOrder, "trajectories", Unit::trajectories));
        baseline(ordered, inOrder).ifPresent(b -> merged.set("baseline", b));
        merged.set("known_defects", knownDefects(ordered));
        ReportSummary.of(merged).writeTo(merged);
        return merged;
    }

    /** A unit of the plan as a shard report lists it, and the report it is in. */
    private record Unit(String id, int position, Input from, List<String> cases, List<String> trajectories) {
    }

    /** The shards sorted by index, each a shard report of the same count, each index 1..N once. */
    private static List<Input> requireEveryShardOnce(List<Input> shards) {
        Map<Integer, Input> byIndex = new TreeMap<>();
        Input first = null;
        for (Input in : shards) {
            JsonNode shard = in.report().path("shard");
            int index = shard.path("index").asInt(0);
            int count = shard.path("count").asInt(0);
            if (!shard.isObject() || count < 1 || count > Shard.MAX_COUNT || index < 1 || index > count
                    || !shard.path("plan").isTextual()
                    || !shard.path("units").isArray()) {
                throw new FixtureException(in.name() + ": is not the report of a shard (no \"shard\" section with"
                        + " index, count, plan and units); expected the JSON of parity verify --shard K/N --json");
            }
            if (first == null) {
                first = in;
            }
            int firstCount = first.report().path("shard").path("count").asInt();
            if (count != firstCount) {
                throw new FixtureException(in.name() + ": is shard " + index + "/" + count + ", but " + first.name()
                        + " is of " + firstCount + " shards; expected the shards of one split");
            }
            Input other = byIndex.put(index, in);
            if (other != null) {
                throw new FixtureException(in.name() + ": is shard " + index + "/" + count + ", and so is "
                        + other.name() + "; expected each shard once");
            }
        }
        int count = first.report().path("shard").path("count").asInt();
        if (byIndex.size() != count) {
            List<Integer> missing = new ArrayList<>();
            for (int k = 1; k <= count; k++) {
                if (!byIndex.containsKey(k)) {
                    missing.add(k);
                }
            }
            throw new FixtureException("shard(s) " + missing.stream().map(k -> k + "/" + count)
                    .collect(Collectors.joining(", ")) + " missing: expected the reports of all " + count
                    + " shards, found " + byIndex.keySet().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        return List.copyOf(byIndex.values());
    }

    /**
     * Every unit of the plan by id: the shards record one plan, the units they list make it up (so
     * none is missing or in two shards), and each report holds exactly the cases and trajectories
     * its units name (so none is in two reports, and none is missing).
     */
    private static Map<String, Unit> requireOnePlan(List<Input> shards) {
        String plan = shards.get(0).report().path("shard").path("plan").asText();
        int count = shards.size();
        Map<String, Unit> units = new LinkedHashMap<>();
        Map<String, Input> owner = new HashMap<>();
        List<ShardPlan.Placed> placed = new ArrayList<>();
        for (Input in : shards) {
            JsonNode shard = in.report().path("shard");
            if (!shard.path("plan").asText().equals(plan)) {
                throw new FixtureException(in.name() + ": was planned differently from " + shards.get(0).name()
                        + " (plan " + abbreviate(shard.path("plan").asText()) + " vs " + abbreviate(plan)
                        + "); expected shards of one run, with the same options and cost table");
            }
            for (JsonNode u : shard.path("units")) {
                Unit unit = new Unit(u.path("id").asText(), u.path("position").asInt(-1), in,
                        texts(u.path("cases")), texts(u.path("trajectories")));
                Unit twice = units.put(unit.id(), unit);
                if (twice != null) {
                    throw new FixtureException(in.name() + ": runs the unit " + unit.id() + ", and so does "
                            + twice.from().name() + "; overlapping shards: expected each unit in one shard");
                }
                placed.add(new ShardPlan.Placed(unit.position(), unit.id(), shard.path("index").asInt()));
                for (String id : unit.cases()) {
                    claim(owner, "case " + id, in);
                }
                for (String id : unit.trajectories()) {
                    claim(owner, "trajectory " + id, in);
                }
            }
        }
        if (!ShardPlan.fingerprint(count, placed).equals(plan)) {
            throw new FixtureException(shards.get(0).name() + ": the units the " + count + " shards list do not make"
                    + " up their plan " + abbreviate(plan) + " (edited reports?); expected the unchanged reports of"
                    + " parity verify --shard K/N --json");
        }
        for (Input in : shards) {
            requireHolds(in, "cases", "case", owner);
            requireHolds(in, "trajectories", "trajectory", owner);
        }
        return units;
    }

    /** Records that {@code in} is to hold {@code what}, refusing a second report that claims it too. */
    private static void claim(Map<String, Input> owner, String what, Input in) {
        Input other = owner.put(what, in);
        if (other != null) {
            throw new FixtureException(in.name() + ": holds " + what + ", and so does " + other.name()
                    + "; overlapping shards: expected each case and trajectory in one shard");
        }
    }

    /** Refuses a report whose {@code field} entries are not exactly those its units name. */
    private static void requireHolds(Input in, String field, String kind, Map<String, Input> owner) {
        Set<String> held = new TreeSet<>();
        for (JsonNode c : in.report().path(field)) {
            String what = kind + " " + c.path("id").asText();
            Input expected = owner.get(what);
            if (expected == null) {
                throw new FixtureException(in.name() + ": holds " + what + ", which none of the shards' units name"
                        + " (an edited report?); expected only the cases and trajectories of its units");
            }
            if (expected != in) {
                throw new FixtureException(in.name() + ": holds " + what + ", which the plan gives " + expected.name()
                        + "; overlapping shards: expected each case and trajectory in one shard");
            }
            if (!held.add(what)) {
                throw new FixtureException(in.name() + ": holds " + what + " twice; expected it once");
            }
        }
        owner.forEach((what, report) -> {
            if (report == in && what.startsWith(kind + " ") && !held.contains(what)) {
                throw new FixtureException(in.name() + ": lacks " + what + ", which its plan gave it; expected the"
                        + " complete report of the shard");
            }
        });
    }

    /**
     * The shards' environment: every entry equal in all, but the machine's ({@link #MACHINE}), whose
     * different values are joined with {@code " | "} in shard order.
     */
    private static ObjectNode environment(List<Input> shards) {
        Input first = shards.get(0);
        ObjectNode merged = first.report().path("environment").deepCopy();
        Set<String> keys = new TreeSet<>();
        shards.forEach(in -> in.report().path("environment").fieldNames().forEachRemaining(keys::add));
        for (String key : keys) {
            if (MACHINE.contains(key)) {
                merged.put(key, shards.stream().map(in -> setting(in, key)).filter(Objects::nonNull).distinct()
                        .collect(Collectors.joining(" | ")));
                continue;
            }
            for (Input in : shards) {
                if (!Objects.equals(setting(in, key), setting(first, key))) {
                    throw new FixtureException(in.name() + ": ran with " + key + " " + describe(setting(in, key))
                            + ", but " + first.name() + " with " + describe(setting(first, key))
                            + "; expected shards of one build and setting");
                }
            }
        }
        return merged;
    }

    /** The environment entry {@code key} of a shard's report, or null when it has none. */
    private static String setting(Input in, String key) {
        JsonNode value = in.report().path("environment").path(key);
        return value.isMissingNode() ? null : value.asText();
    }

    private static String describe(String setting) {
        return setting == null ? "(none)" : setting;
    }

    /** The cases or trajectories of every unit, the units in the run's order, each unit's in its own order. */
    private static ArrayNode members(List<Unit> units, String field,
                                     Function<Unit, List<String>> ids) {
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (Unit u : units) {
            Map<String, JsonNode> byId = new HashMap<>();
            u.from().report().path(field).forEach(n -> byId.put(n.path("id").asText(), n));
            ids.apply(u).forEach(id -> merged.add(byId.get(id)));
        }
        return merged;
    }

    /**
     * The baseline comparisons of the shards as one: every shard gated by the same baseline file and
     * rule, or none; the rows in the run's order (by their case's or trajectory's unit), passed when
     * every shard's passed.
     */
    private static Optional<ObjectNode> baseline(List<Input> shards, List<Unit> units) {
        Input first = shards.get(0);
        JsonNode b = first.report().path("baseline");
        for (Input in : shards) {
            JsonNode other = in.report().path("baseline");
            if (other.isObject() != b.isObject()) {
                throw new FixtureException((b.isObject() ? in : first).name() + ": was not gated by a baseline, but "
                        + (b.isObject() ? first : in).name() + " was; expected shards run with the same --baseline");
            }
            for (String field : List.of("file", "rule", "factor", "floor_roundings")) {
                if (b.isObject() && !other.path(field).equals(b.path(field))) {
                    throw new FixtureException(in.name() + ": was gated with baseline " + field + " "
                            + other.path(field) + ", but " + first.name() + " with " + b.path(field)
                            + "; expected shards run with the same --baseline");
                }
            }
        }
        if (!b.isObject()) {
            return Optional.empty();
        }
        Map<String, Integer> rank = new HashMap<>();
        for (Unit u : units) {
            u.cases().forEach(id -> rank.put(id, rank.size()));
            u.trajectories().forEach(id -> rank.put(id, rank.size()));
        }
        ObjectNode merged = b.deepCopy();
        merged.put("passed", shards.stream().allMatch(in -> in.report().path("baseline").path("passed").asBoolean()));
        for (String rows : List.of("errors", "drift")) {
            List<JsonNode> all = new ArrayList<>();
            shards.forEach(in -> in.report().path("baseline").path(rows).forEach(all::add));
            // A stable sort: each shard's rows keep their order within a case or trajectory.
            all.sort(Comparator.comparingInt(r -> rank.getOrDefault(r.path("id").asText(), Integer.MAX_VALUE)));
            ArrayNode array = merged.putArray(rows);
            all.forEach(array::add);
        }
        return Optional.of(merged);
    }

    /**
     * The known defects' statuses over the whole run: {@code FIXED?} when it was so in any shard,
     * {@code reproduces} when it reproduced in any, {@code not run} when no shard ran its
     * optimizer; every shard must list the same defects (the same code).
     */
    /** The names of a report's known defects, in order ({@link ReportJson#defectName}). */
    private static List<String> defectNames(JsonNode report) {
        List<String> names = new ArrayList<>();
        report.path("known_defects").forEach(d -> names.add(ReportJson.defectName(d)));
        return names;
    }

    private static ArrayNode knownDefects(List<Input> shards) {
        Input first = shards.get(0);
        List<String> optimizers = defectNames(first.report());
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        for (Input in : shards) {
            if (!defectNames(in.report()).equals(optimizers)) {
                throw new FixtureException(in.name() + ": lists the known defects "
                        + defectNames(in.report()) + ", but " + first.name() + " "
                        + optimizers + "; expected shards of one build");
            }
        }
        for (int i = 0; i < optimizers.size(); i++) {
            ObjectNode defect = first.report().path("known_defects").get(i).deepCopy();
            int row = i;
            List<String> statuses = shards.stream()
                    .map(in -> in.report().path("known_defects").get(row).path("status").asText()).toList();
            boolean fixed = shards.stream().anyMatch(in -> !in.report().path("known_defects").get(row).path("ok")
                    .asBoolean(false));
            String status = fixed ? "FIXED?" : statuses.contains("reproduces") ? "reproduces" : "not run";
            defect.put("status", status);
            defect.put("ok", !fixed);
            merged.add(defect);
        }
        return merged;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** A fingerprint's first 12 hex digits, enough to tell two apart in a message. */
    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
