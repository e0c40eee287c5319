package org.paritysuite.harness.training;

import java.util.List;
import org.paritysuite.harness.wiring.Sides;

/**
 * Whether a known defect still reproduced in one run: read off the run's trajectories for a
 * diverging one, checked live by its reproducer for every other.
 *
 * @param defect the defect
 * @param status {@code reproduces}, {@code FIXED?} (it no longer reproduces: check and remove the
 *               entry) or {@code not run} (no trajectory of its optimizer in this run)
 * @param ok     false only for {@code FIXED?}
 */
public record KnownDefectStatus(KnownDefect defect, String status, boolean ok) {

    /** The status of every known defect after a run with these trajectories. */
    public static List<KnownDefectStatus> check(Sides sides, List<TrajectoryCase.Outcome> trajectories) {
        return KnownDefect.ALL.stream().map(d -> of(sides, d, trajectories)).toList();
    }

    private static KnownDefectStatus of(Sides sides, KnownDefect d, List<TrajectoryCase.Outcome> trajectories) {
        if (d.handling() != KnownDefect.Handling.DIVERGES) {
            boolean reproduces = d.reproducesNow(sides).orElseThrow(() -> new IllegalStateException(
                    "no live reproducer wired for the known defect " + d.subject()));
            return reproduces ? new KnownDefectStatus(d, "reproduces", true) : new KnownDefectStatus(d, "FIXED?", false);
        }
        List<TrajectoryCase.Outcome> mine = trajectories.stream()
                .filter(o -> d.optimizer().orElseThrow().equals(o.trajectory().spec().training().optimizer())).toList();
        if (mine.isEmpty()) {
            return new KnownDefectStatus(d, "not run", true);
        }
        boolean fixed = mine.stream().anyMatch(o -> o.verdict() == Verdict.FIXED);
        return fixed ? new KnownDefectStatus(d, "FIXED?", false) : new KnownDefectStatus(d, "reproduces", true);
    }
}
