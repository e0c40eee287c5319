package org.paritysuite.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.training.KnownDefectStatus;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * The counts a run's verdict rests on, and the verdict rule itself ({@link #passed()}): the one
 * place it is written, for a run's {@link ParityReport} ({@code parity verify}) and for a report's
 * JSON tree ({@code parity merge}, whose shards' reports have no {@code ParityReport} behind them).
 *
 * @param cases              the cases run
 * @param failedCases        the cases with a check outside its tolerance
 * @param checks             the tensor checks of all cases
 * @param trajectories       the training trajectories run
 * @param failedTrajectories the trajectories that failed the gate (a known defect that reproduced does not)
 * @param failedKnownDefects the known defects that no longer reproduce ({@code FIXED?})
 * @param baselineFailures   how many gated errors grew beyond their baseline, when the run was gated by one
 */
public record ReportSummary(long cases, long failedCases, long checks, long trajectories, long failedTrajectories,
                            long failedKnownDefects, Optional<Long> baselineFailures) {

    /** The summary of a run. */
    public static ReportSummary of(ParityReport report) {
        return new ReportSummary(report.cases().size(), report.cases().stream().filter(c -> !c.passed()).count(),
                report.cases().stream().mapToLong(c -> c.checks().size()).sum(), report.trajectories().size(),
                report.trajectories().stream().filter(o -> !o.passed()).count(),
                report.knownDefects().stream().filter(s -> !s.ok()).count(),
                report.baseline().map(b -> (long) b.failures().size()));
    }

    /**
     * The summary of a report's JSON tree ({@link ReportJson#toJson}), read from each case's,
     * trajectory's and known defect's own verdict, not from the tree's {@code summary}.
     */
    public static ReportSummary of(JsonNode report) {
        JsonNode baseline = report.path("baseline");
        return new ReportSummary(report.path("cases").size(), failing(report.path("cases"), "passed"),
                StreamSupport.stream(report.path("cases").spliterator(), false)
                        .mapToLong(c -> c.path("checks").size()).sum(),
                report.path("trajectories").size(), failing(report.path("trajectories"), "passed"),
                failing(report.path("known_defects"), "ok"),
                baseline.isObject() ? Optional.of(failing(baseline.path("errors"), "passed")) : Optional.empty());
    }

    /** The elements of {@code array} whose {@code field} is not {@code true}. */
    private static long failing(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).filter(n -> !n.path(field).asBoolean(false)).count();
    }

    /**
     * The verdict: something ran (a case, or a trajectory: a shard may hold trajectories only), every
     * case and trajectory passed ({@link CaseResult#passed},
     * {@link TrajectoryCase.Outcome#passed}), no known defect stopped reproducing
     * ({@link KnownDefectStatus#ok}) and no error grew beyond its baseline.
     */
    public boolean passed() {
        return cases + trajectories > 0 && failedCases == 0 && failedTrajectories == 0 && failedKnownDefects == 0
                && baselineFailures.orElse(0L) == 0;
    }

    /**
     * The report's last line, e.g. {@code PARITY OK: 84 cases, 840 tensor checks, 0 cases failed; 9
     * trajectories, 0 failed}, and {@code ; 0 errors grew beyond the baseline} when gated by one.
     */
    public String verdictLine() {
        return String.format(Locale.ROOT, "%s: %d cases, %d tensor checks, %d cases failed; %d trajectories, %d failed%s",
                passed() ? "PARITY OK" : "PARITY FAILED", cases, checks, failedCases, trajectories, failedTrajectories,
                baselineFailures.map(n -> "; " + n + " errors grew beyond the baseline").orElse(""));
    }

    /** Sets the tree's {@code passed} and {@code summary} fields (docs/report-format.md) from this summary. */
    public void writeTo(ObjectNode report) {
        report.put("passed", passed());
        ObjectNode summary = report.putObject("summary");
        summary.put("cases", cases);
        summary.put("failed_cases", failedCases);
        summary.put("checks", checks);
        summary.put("trajectories", trajectories);
        summary.put("failed_trajectories", failedTrajectories);
    }
}
