package org.paritysuite.harness.baseline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.training.StepError;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * Compares a run's errors with an {@link ErrorBaseline} under the {@link GrowthRule}. Whether the
 * baseline fits the run is checked before the run ({@link #requireCovers}): a case missing from it
 * or recorded from other numbers is bad input, not a growth.
 */
public final class BaselineGate {

    private BaselineGate() {
    }

    /**
     * Refuses, as bad input naming {@code file} and the case, a baseline that lacks a planned case or
     * trajectory, recorded it from another spec, weights or batch (its fingerprint differs), or
     * recorded a trajectory of another length.
     */
    public static void requireCovers(ErrorBaseline baseline, Path file, List<ParityCase> cases,
                                     List<TrajectoryCase> trajectories) {
        for (ParityCase c : cases) {
            String id = CaseResult.idOf(c);
            ErrorBaseline.CaseErrors recorded = baseline.cases().get(id);
            if (recorded == null) {
                throw new FixtureException(file + ": the baseline has no case " + id + " (recorded for another"
                        + " selection or zoo version; record one with --record-baseline)");
            }
            if (!recorded.fingerprint().equals(c.fingerprint())) {
                throw new FixtureException(file + ": case " + id + " was recorded from another spec, weights or"
                        + " batch (its fingerprint differs); record a new baseline with --record-baseline");
            }
        }
        for (TrajectoryCase t : trajectories) {
            ErrorBaseline.TrajectoryErrors recorded = baseline.trajectories().get(t.id());
            if (recorded == null) {
                throw new FixtureException(file + ": the baseline has no trajectory " + t.id() + " (recorded for"
                        + " another selection or zoo version; record one with --record-baseline)");
            }
            if (!recorded.fingerprint().equals(t.fingerprint())) {
                throw new FixtureException(file + ": trajectory " + t.id() + " was recorded from another spec or"
                        + " weights (its fingerprint differs); record a new baseline with --record-baseline");
            }
            if (recorded.steps().size() != t.steps()) {
                throw new FixtureException(file + ": trajectory " + t.id() + " was recorded with "
                        + recorded.steps().size() + " steps, this run trains " + t.steps() + " (--steps)");
            }
        }
    }

    /** Every tensor of every case and every step of every trajectory of a run beside {@code baseline}. */
    public static BaselineComparison compare(ErrorBaseline baseline, Path file, List<CaseResult> cases,
                                             List<TrajectoryCase.Outcome> trajectories) {
        List<Growth> gated = new ArrayList<>();
        List<Growth> drift = new ArrayList<>();
        for (CaseResult c : cases) {
            gated.addAll(compareCase(c, baseline.cases().get(c.id())));
        }
        for (TrajectoryCase.Outcome o : trajectories) {
            for (StepGrowth step : compareSteps(o.trajectory().id(), o.trajectory().precision(), o.stepErrors(),
                    baseline.trajectories().get(o.trajectory().id()))) {
                gated.add(step.judged());
                drift.add(step.drift());
            }
        }
        return new BaselineComparison(file, gated, drift);
    }

    /**
     * One trajectory step beside its recording.
     *
     * @param judged the step's judged error
     * @param drift  the step's free-running drift, reported only
     */
    public record StepGrowth(Growth judged, Growth drift) {
    }

    /**
     * One trajectory's steps beside their recorded errors ({@code recorded} null: none recorded):
     * per step the judged error (gated in the precisions {@link GrowthRule#gatesSteps} names) and
     * the free-running drift (reported only).
     */
    public static List<StepGrowth> compareSteps(String id, Precision precision, List<StepError> steps,
                                              ErrorBaseline.TrajectoryErrors recorded) {
        List<StepError> before = recorded == null ? List.of() : recorded.steps();
        List<StepGrowth> growths = new ArrayList<>();
        for (StepError now : steps) {
            StepError then = now.step() <= before.size() ? before.get(now.step() - 1) : null;
            String what = "step " + now.step();
            growths.add(new StepGrowth(
                    new Growth(id, what, precision, then == null ? Double.NaN : then.judged(), now.judged(),
                            GrowthRule.gatesSteps(precision)),
                    new Growth(id, what + " (free-running drift)", precision,
                            then == null ? Double.NaN : then.drift(), now.drift(), false)));
        }
        return growths;
    }

    /**
     * One case's tensors beside their recorded errors ({@code recorded} null: none recorded); a
     * tensor on one side only fails (a traced tensor appeared or vanished since the recording).
     */
    public static List<Growth> compareCase(CaseResult c, ErrorBaseline.CaseErrors recorded) {
        Map<String, ErrorBaseline.TensorError> before = recorded == null ? Map.of()
                : new LinkedHashMap<>(recorded.tensors());
        List<Growth> growths = new ArrayList<>();
        for (TensorCheck check : c.checks()) {
            ErrorBaseline.TensorError then = before.remove(check.key());
            growths.add(new Growth(c.id(), check.key(), c.precision(), then == null ? Double.NaN : then.scaledError(),
                    check.comparison().scaledError(), GrowthRule.gates(check.kind(), c.precision())));
        }
        // A tensor the recording had and this run did not trace: gated, so it fails.
        before.forEach((key, then) -> growths.add(new Growth(c.id(), key, c.precision(), then.scaledError(),
                Double.NaN, true)));
        return growths;
    }
}
