package org.paritysuite.harness.report;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.harness.baseline.BaselineComparison;
import org.paritysuite.harness.baseline.Growth;
import org.paritysuite.harness.baseline.GrowthRule;
import org.paritysuite.harness.compare.KerasCheck;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.isolation.LayerErrors;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.harness.training.KnownDefect;
import org.paritysuite.harness.training.KnownDefectStatus;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * The human-readable report: one row per case showing its worst tensor (the one closest to, or
 * furthest past, its tolerance), or one row per tensor with {@code allTensors}; failing checks are
 * followed by their full {@code assert_close}-style messages. Names from specs and files are
 * printed with control characters escaped ({@link TerminalText}): a name cannot break a row or
 * forge a line such as the closing {@code PARITY OK}.
 */
public final class ReportTable {

    private static final String ROW = "%-22s %-13s %-8s %-26s %-10s %10s %10s %10s %7s  %-4s  %-10s  %s%n";

    private ReportTable() {
    }

    /** Prints the table, the failure messages and a one-line summary. */
    public static void print(ParityReport report, boolean allTensors, PrintWriter out) {
        out.printf(Locale.ROOT, ROW, "model", "dataset", "prec", "tensor", "kind", "max abs", "max rel", "rtol",
                "used", "ok", "blame", "first divergence");
        for (CaseResult c : report.cases()) {
            List<TensorCheck> rows = allTensors ? c.checks() : List.of(worst(c));
            for (TensorCheck check : rows) {
                TensorComparison cmp = check.comparison();
                out.printf(Locale.ROOT, ROW, escape(c.model()) + (c.training() ? "" : " (inf)"), escape(c.dataset()),
                        c.precision(), escape(check.tensor()), check.kind().jsonName(), number(cmp.maxAbsError()),
                        number(cmp.maxRelError()),
                        number(cmp.tolerance().rtol()), percent(cmp.errorRatio()), verdict(c, check),
                        check.blame() == null ? "-" : check.blame().verdict(), escape(c.firstDivergence()));
            }
        }
        for (CaseResult c : report.cases()) {
            for (TensorCheck check : c.checks()) {
                if (!check.passed()) {
                    out.println();
                    out.println(escape(c.displayName()) + (c.excusedByKink(check)
                            ? " (excused, the forward pass agreed: kink crossing at "
                            + escape(c.kinkCrossing().orElseThrow()) + ")" : "") + ":");
                    out.println(TerminalText.escapeLines(check.comparison().message()));
                    if (check.blame() != null) {
                        out.println("Further from the float64 result: " + check.blame());
                    }
                }
            }
        }
        printIsolation(report, allTensors, out);
        printKeras(report, out);
        printTrajectories(report, out);
        printNotCompared(report, out);
        report.baseline().ifPresent(b -> printBaseline(b, out));
        out.printf(Locale.ROOT, "%n%s%n", ReportSummary.of(report).verdictLine());
    }

    private static final String LAYER_ROW = "%-26s %14s %14s %16s %16s  %s%n";

    /**
     * Per-layer isolation, for every isolated case that failed (every isolated case with
     * {@code allTensors}): per layer the share of the tolerance used by what it was fed and by what
     * it adds, forward and backward, and the culprits.
     */
    private static void printIsolation(ParityReport report, boolean allTensors, PrintWriter out) {
        for (CaseResult c : report.cases()) {
            if (c.isolation().isEmpty()) {
                continue;
            }
            if (c.isolation().orElseThrow().skipped().isPresent()) {
                out.printf(Locale.ROOT, "%nPer-layer isolation of %s skipped: %s%n", escape(c.displayName()),
                        escape(c.isolation().orElseThrow().skipped().get()));
                continue;
            }
            if (c.passed() && !allTensors) {
                continue;
            }
            out.printf(Locale.ROOT, "%nPer-layer isolation of %s (share of the tolerance used; 'inherited' is what the"
                    + " layer was fed, 'local' what it adds, run on the reference's input and incoming gradient):%n",
                    escape(c.displayName()));
            out.printf(Locale.ROOT, LAYER_ROW, "layer", "inherited fwd", "local fwd", "inherited bwd", "local bwd", "");
            for (LayerErrors l : c.isolation().orElseThrow().layers()) {
                String mark = (c.forwardCulprit().filter(l.layer()::equals).isPresent() ? "<- forward culprit " : "")
                        + (c.backwardCulprit().filter(l.layer()::equals).isPresent() ? "<- backward culprit" : "");
                out.printf(Locale.ROOT, LAYER_ROW, escape(l.layer()),
                        l.inheritedForward().map(cmp -> percent(cmp.errorRatio())).orElse("(batch)"),
                        percent(l.localForward().errorRatio()),
                        l.inheritedBackward().map(cmp -> percent(cmp.errorRatio())).orElse("(loss)"),
                        percent(l.worstLocalBackward().errorRatio()), mark.strip());
            }
            if (!c.passed() && c.forwardCulprit().isEmpty() && c.backwardCulprit().isEmpty()) {
                out.println("No layer's own error leaves its tolerance: the error accumulated over layers.");
            }
        }
    }

    private static final String KERAS_ROW = "%-22s %-13s %-8s %12s %9s  %12s %9s  %s%n";

    /**
     * Both sides' outputs against the predictions saved from Keras ({@code --expect}), one row per
     * case that has them, then the message of every comparison outside its tolerance.
     */
    private static void printKeras(ParityReport report, PrintWriter out) {
        List<CaseResult> cases = report.cases().stream().filter(c -> c.keras().isPresent()).toList();
        if (cases.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%nAgainst the saved Keras predictions (Keras computes in float32, so each side's"
                + " output is held to its float32 tolerance):%n");
        out.printf(Locale.ROOT, KERAS_ROW, "model", "dataset", "prec", "TF vs Keras", "used", "ref vs Keras", "used",
                "ok");
        for (CaseResult c : cases) {
            KerasCheck k = c.keras().orElseThrow();
            out.printf(Locale.ROOT, KERAS_ROW, escape(c.model()) + (c.training() ? "" : " (inf)"), escape(c.dataset()),
                    c.precision(), number(k.tensorflow().maxAbsError()), percent(k.tensorflow().errorRatio()),
                    number(k.reference().maxAbsError()), percent(k.reference().errorRatio()),
                    k.passed() ? "PASS" : "FAIL");
        }
        for (CaseResult c : cases) {
            KerasCheck k = c.keras().orElseThrow();
            for (TensorComparison cmp : List.of(k.tensorflow(), k.reference())) {
                if (!cmp.passed()) {
                    out.printf(Locale.ROOT, "%n%s:%n%s%n", escape(c.displayName()),
                            TerminalText.escapeLines(cmp.message()));
                }
            }
        }
    }

    /** PASS, FAIL, or KINK for a gradient outside its tolerance that a kink crossing explains. */
    private static String verdict(CaseResult c, TensorCheck check) {
        return check.passed() ? "PASS" : c.excusedByKink(check) ? "KINK" : "FAIL";
    }

    private static void printTrajectories(ParityReport report, PrintWriter out) {
        if (!report.trajectories().isEmpty()) {
            // Every trajectory of a run reads the one source --data chose.
            ImageSource images = report.trajectories().get(0).trajectory().images();
            out.printf(Locale.ROOT, "%nTraining trajectories: both sides step in lockstep on %s."
                    + " Judged: each TensorFlow step against the reference computed from TensorFlow's own state"
                    + " (weights, moving statistics, gradient and slot history), single-pass tolerance; 'used' its"
                    + " worst share, 'kinks' steps whose gradients a ReLU kink crossing excused. Reported: the"
                    + " free-running trajectories, 'drift from' the first step they leave the trajectory tolerance"
                    + " of each other, 'parted' max|w_tf - w_ref| / max|w_ref| after the last step.%n",
                    images.isShipped() ? "the shipped training subset"
                            : "the training sets in " + TerminalText.escape(images.toString()));
            out.printf(Locale.ROOT, "%-20s %-14s %-42s %-8s %5s %-13s %10s %8s %5s %10s %10s%n", "model", "dataset",
                    "optimizer", "prec", "steps", "verdict", "first fail", "used", "kinks", "drift from", "parted");
            for (TrajectoryCase.Outcome o : report.trajectories()) {
                TrajectoryCase t = o.trajectory();
                out.printf(Locale.ROOT, "%-20s %-14s %-42s %-8s %5d %-13s %10s %8s %5d %10s %10s%n", escape(t.spec().name()),
                        t.dataset().id(), t.optimizerLabel(), t.precision(), t.steps(), o.verdict().label(),
                        o.firstFailingStep().map(s -> "step " + s).orElse("-"), percent(o.worstUsed()),
                        o.kinkSteps(), o.driftFrom().map(s -> "step " + s).orElse("-"), number(o.finalDivergence()));
                if (!o.passed() && !o.detail().isEmpty()) {
                    out.println("  " + TerminalText.escapeLines(o.detail()).replace("\n", "\n  "));
                }
            }
        }
        out.printf(Locale.ROOT, "%nKnown TensorFlow-side defects (the reference does not copy them):%n");
        for (KnownDefectStatus s : report.knownDefects()) {
            KnownDefect d = s.defect();
            out.printf(Locale.ROOT, "- %s [%s; %s]: %s.%n  Reproducer: %s.%n", d.name(), d.handling().label(),
                    s.status(), d.reason(), d.reproducer());
        }
    }

    /**
     * The errors beside the baseline's: every one that grew too much, else the few that grew most,
     * and the greatest free-running drift growth (reported, not gated).
     */
    private static void printBaseline(BaselineComparison b, PrintWriter out) {
        List<Growth> failures = b.failures();
        out.printf(Locale.ROOT, "%nError baseline %s: %d errors gated, %d reported; %s (%s).%n",
                escape(b.file().toString()), b.gatedCount(), b.errors().size() - b.gatedCount() + b.drift().size(),
                failures.isEmpty() ? "none grew beyond it" : failures.size() + " grew beyond it",
                GrowthRule.describe());
        List<Growth> shown = failures.isEmpty() ? b.greatest(BASELINE_ROWS) : failures;
        out.println(failures.isEmpty() ? "Greatest growths:" : "Grew beyond the baseline:");
        shown.forEach(g -> out.println("- " + escape(g.describe())));
        b.greatestReported().ifPresent(g -> out.println("Greatest growth reported, not gated: "
                + escape(g.describe())));
    }

    /** How many of the greatest growths a passing gate shows. */
    private static final int BASELINE_ROWS = 3;

    /** The tensors only TensorFlow traced, which nothing judged: said once per set, with where it came from. */
    private static void printNotCompared(ParityReport report, PrintWriter out) {
        java.util.Map<java.util.List<String>, java.util.List<String>> where = new java.util.LinkedHashMap<>();
        report.cases().stream().filter(c -> !c.notCompared().isEmpty()).forEach(c -> where
                .computeIfAbsent(c.notCompared(), k -> new java.util.ArrayList<>()).add(c.displayName()));
        report.trajectories().stream().filter(o -> !o.notCompared().isEmpty()).forEach(o -> where
                .computeIfAbsent(o.notCompared(), k -> new java.util.ArrayList<>()).add(o.trajectory().toString()));
        if (where.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%nNot compared (traced by TensorFlow only; the reference has no such tensor):%n");
        where.forEach((keys, runs) -> out.printf(Locale.ROOT, "- %s%n  in %s%n", escape(String.join(", ", keys)),
                escape(runs.size() == 1 ? runs.get(0) : runs.size() + " runs, first " + runs.get(0))));
    }

    /** A name from a spec or a file, printed on one line whatever it holds ({@link TerminalText}). */
    private static String escape(String name) {
        return TerminalText.escape(name);
    }

    /** The check with the greatest error ratio (error over allowed); failing ones first. */
    static TensorCheck worst(CaseResult c) {
        return c.checks().stream()
                .max(Comparator.comparing((TensorCheck t) -> !t.passed())
                        .thenComparingDouble(t -> t.comparison().errorRatio()))
                .orElseThrow();
    }

    /** The share of the tolerance an error uses: the greatest {@code |a - e| / (atol + rtol |e|)}. */
    private static String percent(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.1f%%", 100 * ratio) : "-";
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : "-";
    }
}
