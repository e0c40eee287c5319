package org.paritysuite.harness.baseline;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A run's errors beside an error baseline's: every tensor of every case and the judged error of
 * every trajectory step ({@link Growth}), and the free-running drift of every step, which is
 * reported and not gated (two trajectories part chaotically where a ReLU unit sits within rounding
 * of 0, so the drift on another CPU may differ by orders of magnitude: docs/baselines.md).
 *
 * @param file   the baseline file
 * @param gated  the gated errors: tensors of cases in run order, then judged trajectory steps
 * @param drift  the free-running drift of every trajectory step, reported only
 */
public record BaselineComparison(Path file, List<Growth> gated, List<Growth> drift) {

    public BaselineComparison {
        gated = List.copyOf(gated);
        drift = List.copyOf(drift);
    }

    /** True when no gated error grew beyond {@link GrowthRule}. */
    public boolean passed() {
        return gated.stream().allMatch(Growth::passed);
    }

    /** The gated errors that grew too much, in run order. */
    public List<Growth> failures() {
        return gated.stream().filter(g -> !g.passed()).toList();
    }

    /** The {@code n} gated errors with the greatest growth, greatest first. */
    public List<Growth> greatest(int n) {
        return gated.stream().sorted(Comparator.comparingDouble(Growth::ratio).reversed()).limit(n).toList();
    }
}
