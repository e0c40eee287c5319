package org.paritysuite.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.shard.CostTable;
import org.paritysuite.harness.shard.WorkUnit;
import org.paritysuite.harness.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parity costs REPORT.json --out FILE}: the measured cost of every unit of work of a run,
 * the cost table {@code parity verify --shard K/N --cost-table FILE} balances its shards by
 * ({@link CostTable}; docs/sharding.md).
 */
@Command(name = "costs", mixinStandardHelpOptions = true,
        description = {"Writes the cost table of a JSON report of parity verify (or of parity merge): each unit of"
                + " work's measured wall time, for --shard K/N --cost-table FILE (docs/sharding.md)."})
final class CostsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REPORT", description = "A JSON report of a full run (parity verify --json).")
    Path report;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The cost table to write (TSV).")
    Path outFile;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AtomicOutput.requireFile(outFile, "--out");
        JsonNode tree = ReportJson.read(report);
        CostTable table = CostTable.measuredBy(tree, report.toString());
        JsonNode env = tree.path("environment");
        table.write(outFile, "Measured by parity costs from " + report.getFileName() + " (" + env.path("cpu").asText("?")
                + ", " + env.path("cores").asText("?") + " cores). ms: wall time of a unit of cases; per step for a"
                + " trajectory unit.\nRefresh: parity verify --json REPORT.json, then parity costs REPORT.json --out FILE"
                + " (docs/sharding.md).");
        PrintWriter out = spec.commandLine().getOut();
        long trajectories = table.millis().keySet().stream().filter(u -> u.startsWith(WorkUnit.TRAJECTORY)).count();
        out.printf(Locale.ROOT, "%d units of cases, %d trajectory units: %s%n", table.millis().size() - trajectories,
                trajectories, TerminalText.escape(outFile.toString()));
        return ParityCli.PASSED;
    }
}
