package org.paritysuite.harness.baseline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.training.StepError;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * The measured errors of a recorded run, against which later runs are gated: per case (by its
 * stable id) its fingerprint and every tensor's greatest absolute error with the tensor's scale;
 * per trajectory its fingerprint and every step's judged and free-running error.
 *
 * @param environment  the recorded run's environment (versions, CPU), for the reader of a failure
 * @param cases        by case id, in run order
 * @param trajectories by trajectory id, in run order
 */
public record ErrorBaseline(Map<String, String> environment, Map<String, CaseErrors> cases,
                            Map<String, TrajectoryErrors> trajectories) {

    public ErrorBaseline {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        cases = Collections.unmodifiableMap(new LinkedHashMap<>(cases));
        trajectories = Collections.unmodifiableMap(new LinkedHashMap<>(trajectories));
    }

    /**
     * One tensor's recorded error.
     *
     * @param maxAbs the greatest {@code |tf - ref|}
     * @param scale  the tensor's {@code max|expected|}
     */
    public record TensorError(double maxAbs, double scale) {

        /** {@code maxAbs / scale}, as {@link org.paritysuite.harness.compare.TensorComparison#scaledError()}. */
        public double scaledError() {
            return maxAbs == 0 ? 0 : maxAbs / scale;
        }
    }

    /**
     * One case's recorded errors.
     *
     * @param fingerprint what the case's numbers depended on ({@link org.paritysuite.harness.run.Fingerprint})
     * @param precision   the case's precision, which sets the noise floor
     * @param tensors     by trace key {@code kind/name}, in trace order
     */
    public record CaseErrors(String fingerprint, Precision precision, Map<String, TensorError> tensors) {

        public CaseErrors {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }
    }

    /**
     * One trajectory's recorded errors.
     *
     * @param fingerprint what the trajectory's numbers depended on
     * @param precision   the trajectory's precision, which sets the noise floor
     * @param steps       each step's errors, from step 1
     */
    public record TrajectoryErrors(String fingerprint, Precision precision, List<StepError> steps) {

        public TrajectoryErrors {
            steps = List.copyOf(steps);
        }
    }

    /** The errors of a run's cases and trajectories, recorded in {@code environment}. */
    public static ErrorBaseline of(Map<String, String> environment, List<CaseResult> results,
                                   List<TrajectoryCase.Outcome> outcomes) {
        Map<String, CaseErrors> cases = new LinkedHashMap<>();
        for (CaseResult c : results) {
            cases.put(c.id(), errorsOf(c));
        }
        Map<String, TrajectoryErrors> trajectories = new LinkedHashMap<>();
        for (TrajectoryCase.Outcome o : outcomes) {
            trajectories.put(o.trajectory().id(), new TrajectoryErrors(o.trajectory().fingerprint(),
                    o.trajectory().precision(), o.stepErrors()));
        }
        return new ErrorBaseline(environment, cases, trajectories);
    }

    /** One case's errors, as a baseline keeps them. */
    static CaseErrors errorsOf(CaseResult c) {
        Map<String, TensorError> tensors = new LinkedHashMap<>();
        for (TensorCheck check : c.checks()) {
            tensors.put(check.key(), new TensorError(check.comparison().maxAbsError(), check.comparison().scale()));
        }
        return new CaseErrors(c.fingerprint(), c.precision(), tensors);
    }
}
