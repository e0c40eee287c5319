package org.paritysuite.harness.training;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The per-epoch table of {@code parity train}, printed as the epochs finish. Columns (see
 * {@code docs/training.md}): the epoch and the steps so far; the mean training loss of each side
 * over the epoch's steps; each side's loss and accuracy on the test images; the share of test
 * images the sides classify differently; the greatest weight difference; the test-loss
 * difference; the worst share of tolerance any step of the epoch used and how many steps were
 * outside; each side's median ms per training step. A value that does not exist (epoch 0 has no
 * training loss) is a dash.
 */
public final class EpochTable {

    private static final String HEADER = String.format(Locale.ROOT,
            "%5s %6s  %17s  %17s  %13s  %6s  %8s  %8s  %12s  %15s",
            "epoch", "steps", "train loss tf/ref", "test loss tf/ref", "test acc tf/ref", "differ", "max|dW|",
            "|dloss|", "tol used/out", "ms/step tf/ref");

    private EpochTable() {
    }

    /** The run's description and the column header. */
    public static void header(RunPlan plan, PrintWriter out) {
        out.println();
        out.println(plan.describe());
        out.println(HEADER);
        out.flush();
    }

    /** One epoch's row. */
    public static void row(EpochRecord e, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "%5d %6d  %8s %8s  %8s %8s  %6s %6s  %6s  %8s  %8s  %6s %5s  %7s %7s",
                e.epoch(), e.steps(),
                num(e.tfTrainLoss(), "%8.4g"), num(e.refTrainLoss(), "%8.4g"),
                num(e.tf().loss(), "%8.4g"), num(e.ref().loss(), "%8.4g"),
                num(e.tf().accuracy(), "%6.3f"), num(e.ref().accuracy(), "%6.3f"),
                num(e.predictionsDiffer(), "%6.3f"), num(e.maxWeightDiff(), "%8.2e"), num(e.testLossDiff(), "%8.2e"),
                num(e.toleranceUsed(), "%6.3f"), e.epoch() == 0 ? "-" : Integer.toString(e.stepsOutside()),
                num(e.tfMillisPerStep(), "%7.2f"), num(e.refMillisPerStep(), "%7.2f")));
        out.flush();
    }

    /** The run's verdict line, and what it rests on. */
    public static void verdict(RunResult r, PrintWriter out) {
        EpochRecord last = r.last();
        out.println(String.format(Locale.ROOT, "%s: %s after %d steps in %.1f s; test accuracy after epoch %d:"
                        + " tf %s ref %s; worst share of tolerance %s", r.plan().name(), r.verdict().label(),
                r.steps().size(), r.seconds(), last.epoch(), num(last.tf().accuracy(), "%.3f"), num(last.ref().accuracy(), "%.3f"),
                num(r.worstToleranceUsed(), "%.3f")));
        if (!r.detail().isEmpty()) {
            out.println("  " + r.detail().replace("\n", "\n  "));
        }
        out.flush();
    }

    /** {@code value} formatted, or a dash of the same width when it does not exist. */
    static String num(double value, String format) {
        String text = String.format(Locale.ROOT, format, Double.isNaN(value) ? 0.0 : value);
        return Double.isNaN(value) ? " ".repeat(Math.max(0, text.length() - 1)) + "-" : text;
    }
}
