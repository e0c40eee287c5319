package org.paritysuite.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.report.ReportJson;
import org.paritysuite.harness.report.ReportJunit;
import org.paritysuite.harness.report.ReportSummary;
import org.paritysuite.harness.shard.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parity merge A.json B.json ...}: the JSON reports of every shard of a run
 * ({@code parity verify --shard K/N --json}) made into the run's one verdict, JSON and JUnit report
 * ({@link ShardMerge}; docs/sharding.md).
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merges the JSON reports of all shards of one run (parity verify --shard K/N --json) into one"
                + " verdict, one JSON and one JUnit report, as a run without shards would have written them. Refuses"
                + " overlapping or missing shards. Exit 0 when the merged run passed, 1 when it failed."})
final class MergeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SHARD.json", arity = "1..*", description = "The JSON report of every shard, in any order.")
    List<Path> reports;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the merged report as JSON (docs/report-format.md).")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the merged report as JUnit XML.")
    Path junit;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ParityCli.requireReportFiles(json, junit);
        List<ShardMerge.Input> shards = reports.stream()
                .map(f -> new ShardMerge.Input(f.toString(), ReportJson.read(f))).toList();
        ObjectNode merged = ShardMerge.merge(shards);
        PrintWriter out = spec.commandLine().getOut();
        for (ShardMerge.Input in : shards) {
            JsonNode shard = in.report().path("shard");
            out.printf(Locale.ROOT, "shard %d/%d  %-40s %s%n", shard.path("index").asInt(), shard.path("count").asInt(),
                    TerminalText.escape(in.name()), ReportSummary.of(in.report()).verdictLine());
        }
        printFailures(merged, out);
        if (json != null) {
            ReportJson.write(merged, json);
            out.println("JSON report: " + TerminalText.escape(json.toString()));
        }
        if (junit != null) {
            ReportJunit.write(merged, junit);
            out.println("JUnit report: " + TerminalText.escape(junit.toString()));
        }
        ReportSummary summary = ReportSummary.of(merged);
        out.printf(Locale.ROOT, "%n%s%n", summary.verdictLine());
        return summary.passed() ? ParityCli.PASSED : ParityCli.FAILED;
    }

    /** Every failing case, trajectory and known defect of the merged run, by id, with what failed. */
    private static void printFailures(JsonNode merged, PrintWriter out) {
        for (JsonNode c : merged.path("cases")) {
            if (!c.path("passed").asBoolean()) {
                JsonNode first = c.path("first_divergence");
                out.printf(Locale.ROOT, "FAIL case %s: first divergence %s (forward), %s (backward)%n",
                        TerminalText.escape(c.path("id").asText()), TerminalText.escape(first.path("forward").asText("-")),
                        TerminalText.escape(first.path("backward").asText("-")));
            }
        }
        for (JsonNode t : merged.path("trajectories")) {
            if (!t.path("passed").asBoolean()) {
                out.printf(Locale.ROOT, "%s trajectory %s: %s%n", t.path("verdict").asText(),
                        TerminalText.escape(t.path("id").asText()), TerminalText.escape(t.path("detail").asText()));
            }
        }
        for (JsonNode d : merged.path("known_defects")) {
            if (!d.path("ok").asBoolean()) {
                out.printf(Locale.ROOT, "%s known defect %s: %s%n", d.path("status").asText(),
                        TerminalText.escape(d.path("optimizer").asText()), TerminalText.escape(d.path("reason").asText()));
            }
        }
        JsonNode baseline = merged.path("baseline");
        if (baseline.isObject() && !baseline.path("passed").asBoolean()) {
            out.println("FAIL baseline: an error grew beyond the growth rule (the merged JSON's \"baseline\" lists it)");
        }
    }
}
