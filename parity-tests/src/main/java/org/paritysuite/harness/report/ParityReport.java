package org.paritysuite.harness.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paritysuite.harness.baseline.BaselineComparison;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.training.KnownDefectStatus;
import org.paritysuite.harness.training.TrajectoryCase;
import org.paritysuite.harness.wiring.Sides;

/**
 * The results of a run of {@code parity verify}: the environment and one result per case.
 *
 * @param environment  versions and settings, see {@link Environment}
 * @param cases        the case results in run order
 * @param trajectories the short training trajectories, judged with the known defects
 * @param knownDefects whether each known TensorFlow-side defect still reproduced in this run
 * @param baseline     the errors beside an error baseline's, when the run was gated by one
 */
public record ParityReport(Map<String, String> environment, List<CaseResult> cases,
                           List<TrajectoryCase.Outcome> trajectories, List<KnownDefectStatus> knownDefects,
                           Optional<BaselineComparison> baseline) {

    public ParityReport {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        cases = List.copyOf(cases);
        trajectories = List.copyOf(trajectories);
        knownDefects = List.copyOf(knownDefects);
    }

    /** A report not gated by an error baseline. */
    public ParityReport(Map<String, String> environment, List<CaseResult> cases,
                        List<TrajectoryCase.Outcome> trajectories, List<KnownDefectStatus> knownDefects) {
        this(environment, cases, trajectories, knownDefects, Optional.empty());
    }

    /** A report of these cases and trajectories, with the known defects checked now. */
    public static ParityReport of(Sides sides, Map<String, String> environment, List<CaseResult> cases,
                                  List<TrajectoryCase.Outcome> trajectories) {
        return new ParityReport(environment, cases, trajectories, KnownDefectStatus.check(sides, trajectories),
                Optional.empty());
    }

    /** This report gated by an error baseline as well. */
    public ParityReport withBaseline(BaselineComparison comparison) {
        return new ParityReport(environment, cases, trajectories, knownDefects, Optional.of(comparison));
    }

    /** The verdict: the rule of {@link ReportSummary#passed()}. */
    public boolean passed() {
        return ReportSummary.of(this).passed();
    }
}
