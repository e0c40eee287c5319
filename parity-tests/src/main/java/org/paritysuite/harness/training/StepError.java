package org.paritysuite.harness.training;

import java.util.List;
import org.paritysuite.harness.compare.TensorCheck;

/**
 * One step of a trajectory in two numbers: what an error baseline keeps of it and compares run
 * against run. Both are {@link org.paritysuite.harness.compare.TensorComparison#scaledError() scaled
 * errors}, the greatest over the step's tensors.
 *
 * @param step   the step, from 1
 * @param judged the greatest scaled error of the step's judged checks (the reference at TensorFlow's
 *               state): how far TensorFlow's step is from the reference's rule; NaN when a check
 *               compared nothing
 * @param drift  the greatest scaled error of the step's free-running checks: how far the two
 *               trajectories have parted; NaN when a check compared nothing
 */
public record StepError(int step, double judged, double drift) {

    /** The step's two numbers. */
    public static StepError of(StepResult result) {
        return new StepError(result.step(), greatest(result.checks()), greatest(result.drift()));
    }

    private static double greatest(List<TensorCheck> checks) {
        double max = 0;
        for (TensorCheck c : checks) {
            double e = c.comparison().scaledError();
            if (Double.isNaN(e)) {
                return Double.NaN;
            }
            max = Math.max(max, e);
        }
        return max;
    }
}
