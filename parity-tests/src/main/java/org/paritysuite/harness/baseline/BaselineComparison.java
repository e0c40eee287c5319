package org.paritysuite.harness.baseline;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A run's errors beside an error baseline's ({@link Growth}): every tensor of every case, the
 * judged error of every trajectory step, and every step's free-running drift, which is reported
 * and never gated (two trajectories part chaotically where a ReLU unit sits within rounding of 0,
 * so the drift on another CPU may differ by orders of magnitude: docs/baselines.md).
 *
 * @param file    the baseline file
 * @param errors  tensors of cases in run order, then judged trajectory steps, gated or reported as
 *                {@link GrowthRule} says
 * @param drift   the free-running drift of every trajectory step, reported only
 */
public record BaselineComparison(Path file, List<Growth> errors, List<Growth> drift) {

    public BaselineComparison {
        errors = List.copyOf(errors);
        drift = List.copyOf(drift);
    }

    /** True when no gated error grew beyond {@link GrowthRule}. */
    public boolean passed() {
        return errors.stream().allMatch(Growth::passed);
    }

    /** How many errors the rule gates. */
    public long gatedCount() {
        return errors.stream().filter(Growth::gated).count();
    }

    /** The gated errors that grew too much, in run order. */
    public List<Growth> failures() {
        return errors.stream().filter(g -> !g.passed()).toList();
    }

    /** The {@code n} gated errors with the greatest growth, greatest first. */
    public List<Growth> greatest(int n) {
        return errors.stream().filter(Growth::gated).sorted(Comparator.comparingDouble(Growth::ratio).reversed())
                .limit(n).toList();
    }

    /** The reported (not gated) error with the greatest finite growth, if any, drift included. */
    public java.util.Optional<Growth> greatestReported() {
        return java.util.stream.Stream.concat(errors.stream().filter(g -> !g.gated()), drift.stream())
                .filter(g -> Double.isFinite(g.ratio())).max(Comparator.comparingDouble(Growth::ratio));
    }
}
