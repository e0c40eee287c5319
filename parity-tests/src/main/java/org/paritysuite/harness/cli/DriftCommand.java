package org.paritysuite.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.report.ReportJson;
import org.paritysuite.harness.upgrade.ReportDrift;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity drift BEFORE.json AFTER.json}: what changed between two runs, e.g. two TensorFlow Java versions. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Sets two JSON reports of parity verify side by side (e.g. before and after a TensorFlow Java"
                + " upgrade, docs/upgrade.md): errors per tensor kind, per layer and per optimizer, changed verdicts,"
                + " known defects. Exit 0 when no verdict changed, 1 otherwise."})
final class DriftCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The earlier run's JSON report (parity verify --json).")
    Path beforeFile;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The later run's JSON report.")
    Path afterFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the comparison as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    /** How many of the most-changed tensors the table lists. */
    private static final int MOST_CHANGED = 10;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        if (json != null) {
            AtomicOutput.requireFile(json, "--json");
        }
        JsonNode before = ReportJson.read(beforeFile);
        JsonNode after = ReportJson.read(afterFile);
        ReportDrift drift = ReportDrift.of(before, after);
        print(drift, spec.commandLine().getOut());
        if (json != null) {
            AtomicOutput.writeFile(json, "the drift report", out -> JSON.writeValue(out, toJson(drift)));
        }
        return drift.verdicts().isEmpty() ? ParityCli.PASSED : ParityCli.FAILED;
    }

    private void print(ReportDrift drift, PrintWriter out) {
        out.printf(Locale.ROOT, "before: %s%nafter:  %s%n", versions(drift.before()), versions(drift.after()));
        out.printf(Locale.ROOT, "%nGreatest scaled error (max|tf - ref| / max|ref|) per tensor kind and precision:%n");
        out.printf(Locale.ROOT, "%-12s %-8s %11s %11s   %s%n", "kind", "prec", "before", "after", "most changed");
        drift.summarise(t -> t.kind() + " " + t.precision()).forEach((group, s) -> out.printf(Locale.ROOT,
                "%-12s %-8s %11.3e %11.3e   %s%n", group.split(" ")[0], group.split(" ")[1], s.before(), s.after(),
                describe(s.mostChanged())));
        out.printf(Locale.ROOT, "%nTensors whose error changed: %s%n", String.join(", ",
                drift.summarise(ReportDrift.TensorDrift::precision).keySet().stream()
                        .map(p -> changedCount(drift, p)).toList()));
        List<ReportDrift.TensorDrift> most = drift.mostChanged(MOST_CHANGED);
        if (!most.isEmpty()) {
            out.printf(Locale.ROOT, "The %d whose error changed most (per layer):%n", most.size());
            most.forEach(t -> out.println("- " + describe(t)));
        }
        if (!drift.trajectories().isEmpty()) {
            out.printf(Locale.ROOT, "%nTrajectories per optimizer: the greatest judged error, and how far the free-running"
                    + " trajectories parted after the last step (every trajectory: --json):%n");
            out.printf(Locale.ROOT, "%-10s %-8s %9s %11s %11s %11s %11s%n", "optimizer", "prec", "changed", "judged",
                    "judged", "parted", "parted");
            out.printf(Locale.ROOT, "%-10s %-8s %9s %11s %11s %11s %11s%n", "", "", "", "before", "after", "before",
                    "after");
            drift.perOptimizer().values().forEach(o -> out.printf(Locale.ROOT,
                    "%-10s %-8s %9s %11.3e %11.3e %11.3e %11.3e%n", TerminalText.escape(o.optimizer()), o.precision(),
                    o.changed() + " of " + o.trajectories(), o.judgedBefore(), o.judgedAfter(), o.partedBefore(),
                    o.partedAfter()));
        }
        out.printf(Locale.ROOT, "%nKnown TensorFlow-side defects (before -> after):%n");
        drift.knownDefects().forEach((optimizer, status) -> out.printf(Locale.ROOT, "- %s: %s -> %s%n", optimizer,
                status.before(), status.after()));
        out.printf(Locale.ROOT, "%n%s%n", drift.verdicts().isEmpty() ? "NO VERDICT CHANGED"
                : "VERDICTS CHANGED:\n" + TerminalText.escapeLines(String.join("\n", drift.verdicts())));
    }

    private static String changedCount(ReportDrift drift, String precision) {
        List<ReportDrift.TensorDrift> ofPrecision = drift.tensors().stream()
                .filter(t -> t.precision().equals(precision)).toList();
        return ofPrecision.stream().filter(ReportDrift.TensorDrift::changed).count() + " of " + ofPrecision.size()
                + " in " + precision;
    }

    private static String versions(Map<String, String> env) {
        return "TensorFlow Java " + env.getOrDefault("tensorflow_java", "?") + ", tensorflow-framework "
                + env.getOrDefault("tensorflow_framework", "?") + ", TensorFlow " + env.getOrDefault("tensorflow", "?")
                + ", ND4J " + env.getOrDefault("nd4j", "?") + ", " + env.getOrDefault("cpu", "?");
    }

    private static String describe(ReportDrift.TensorDrift t) {
        return String.format(Locale.ROOT, "%s %s/%s: %.3e -> %.3e (%.3gx)", TerminalText.escape(t.caseId()), t.kind(),
                TerminalText.escape(t.tensor()), t.before(), t.after(), t.ratio());
    }

    private static ObjectNode toJson(ReportDrift drift) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode env = root.putObject("environment");
        drift.before().forEach(env.putObject("before")::put);
        drift.after().forEach(env.putObject("after")::put);
        ObjectNode kinds = root.putObject("per_kind");
        drift.summarise(t -> t.kind() + "/" + t.precision()).forEach((group, s) -> {
            ObjectNode g = kinds.putObject(group);
            number(g, "before", s.before());
            number(g, "after", s.after());
            g.put("most_changed", describe(s.mostChanged()));
        });
        ArrayNode tensors = root.putArray("tensors");
        drift.tensors().forEach(t -> {
            ObjectNode n = tensors.addObject().put("case", t.caseId()).put("kind", t.kind()).put("tensor", t.tensor());
            number(n, "before", t.before());
            number(n, "after", t.after());
        });
        ArrayNode trajectories = root.putArray("trajectories");
        drift.trajectories().forEach(t -> {
            ObjectNode n = trajectories.addObject().put("id", t.id()).put("optimizer", t.optimizer())
                    .put("precision", t.precision());
            number(n, "judged_before", t.judgedBefore());
            number(n, "judged_after", t.judgedAfter());
            number(n, "parted_before", t.partedBefore());
            number(n, "parted_after", t.partedAfter());
        });
        ObjectNode optimizers = root.putObject("per_optimizer");
        drift.perOptimizer().forEach((group, o) -> {
            ObjectNode n = optimizers.putObject(o.optimizer() + "/" + o.precision()).put("trajectories", o.trajectories())
                    .put("changed", o.changed());
            number(n, "judged_before", o.judgedBefore());
            number(n, "judged_after", o.judgedAfter());
            number(n, "parted_before", o.partedBefore());
            number(n, "parted_after", o.partedAfter());
        });
        ObjectNode defects = root.putObject("known_defects");
        drift.knownDefects().forEach((o, s) -> defects.putObject(o).put("before", s.before()).put("after", s.after()));
        drift.verdicts().forEach(root.putArray("changed_verdicts")::add);
        return root;
    }

    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }
}
