package org.paritysuite.harness.training;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * The numbers of {@code parity train} as one CSV table, a row per step and a row per epoch, told
 * apart by the {@code kind} column ({@code step} or {@code epoch}); a column that does not apply
 * to a row's kind is empty, as is a value that does not exist (NaN). Loads directly into a data
 * frame: {@code df[df.kind == "epoch"]}. Columns are listed in {@link #COLUMNS} and explained in
 * {@code docs/training.md}.
 */
public final class ResultsCsv {

    /** The header, in order. */
    public static final List<String> COLUMNS = List.of("run", "kind", "epoch", "step",
            "tf_train_loss", "ref_train_loss", "tolerance_used", "outside_tolerance", "tf_ms", "ref_ms",
            "tf_test_loss", "ref_test_loss", "tf_test_accuracy", "ref_test_accuracy", "predictions_differ",
            "max_abs_weight_diff", "test_loss_diff", "steps_outside");

    private ResultsCsv() {
    }

    /** Writes every run's steps and epochs to {@code file}, all or nothing ({@link AtomicOutput}). */
    public static void write(List<RunResult> runs, Path file) {
        AtomicOutput.writeFile(file, "the CSV", out -> {
            try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                w.write(String.join(",", COLUMNS) + "\n");
                for (RunResult r : runs) {
                    for (StepRecord s : r.steps()) {
                        w.write(line(r.plan().name(), "step", s.epoch(), s.step(), s.tfLoss(), s.refLoss(),
                                s.toleranceUsed(), s.outside() == null ? "" : s.outside(), s.tfMillis(), s.refMillis(),
                                "", "", "", "", "", "", "", ""));
                    }
                    for (EpochRecord e : r.epochs()) {
                        w.write(line(r.plan().name(), "epoch", e.epoch(), e.steps(), e.tfTrainLoss(), e.refTrainLoss(),
                                e.toleranceUsed(), "", e.tfMillisPerStep(), e.refMillisPerStep(),
                                e.tf().loss(), e.ref().loss(), e.tf().accuracy(), e.ref().accuracy(),
                                e.predictionsDiffer(), e.maxWeightDiff(), e.testLossDiff(),
                                e.epoch() == 0 ? "" : e.stepsOutside()));
                    }
                }
            }
        });
    }

    private static String line(Object... values) {
        List<String> cells = new ArrayList<>();
        for (Object v : values) {
            cells.add(cell(v));
        }
        return String.join(",", cells) + "\n";
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.9g", d);
        }
        String s = String.valueOf(v);
        // Run names may hold commas ("batch 1, 100 images"): quote them as RFC 4180 says.
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
