package org.paritysuite.harness.html;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.isolation.LayerErrors;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.walk.WalkStep;
import org.paritysuite.harness.walk.Walkthrough;

/**
 * {@code parity explain --walk --html FILE}: the walk-through as one self-contained page, in the
 * text's order (forward, the loss, backward), with a chart of every layer's inherited and local
 * error against its tolerance at the top. Formulas keep their lines in {@code <pre>} blocks; both
 * sides' values sit in a two-row table so their digits line up.
 */
public final class WalkHtml {

    /** How many values of each tensor are shown, as in the text. */
    private static final int SHOWN = 6;

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 1.5em auto; max-width: 1100px; color: #222; background: #fff; }
            h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; } h3 { margin-bottom: 0.3em; }
            pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; font-size: 0.85em; }
            table { border-collapse: collapse; margin: 0.3em 0; font-size: 0.85em; }
            th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; font-family: monospace; }
            th { background: #f3f3f3; text-align: left; font-family: sans-serif; }
            .note { color: #555; font-size: 0.9em; } .errors { font-size: 0.9em; }
            """;

    private WalkHtml() {
    }

    /** Writes the page of {@code walk} to {@code file}, all or nothing ({@link AtomicOutput}). */
    public static void write(Walkthrough walk, Path file) {
        byte[] html = render(walk).getBytes(StandardCharsets.UTF_8);
        AtomicOutput.writeFile(file, "the walk-through page", out -> out.write(html));
    }

    /** The page as HTML. */
    public static String render(Walkthrough walk) {
        StringBuilder h = new StringBuilder(1 << 16);
        String title = "Walk-through of " + walk.spec().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(e(title))
                .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(e(title)).append("</h1>\n<p class=\"note\">").append(e(String.format(Locale.ROOT,
                "One batch (%s, %d examples, %s, %s pass) through TensorFlow Java and the reference, layer by layer."
                        + " Values are example 0's first elements in TensorFlow layout. The inherited error is what a"
                        + " layer was fed, the local error what it adds (TensorFlow's layer run on the reference's"
                        + " input and incoming gradient).", walk.batch(), walk.batchSize(), walk.precision(),
                walk.training() ? "training" : "inference"))).append("</p>\n");
        h.append("<section id=\"errors\">\n<h2>Errors per layer</h2>\n<img alt=\"errors per layer\" src=\"")
                .append(HtmlCharts.layerChart(walk.spec().name() + ": what each layer was fed and what it adds",
                        walk.steps().stream().map(WalkHtml::row).toList()))
                .append("\">\n</section>\n");
        h.append("<section id=\"forward\">\n<h2>Part 1: forward, from the input to the output</h2>\n");
        walk.steps().forEach(step -> forward(step, walk.steps().size(), h));
        h.append("</section>\n<section id=\"loss\">\n<h2>Part 2: the loss</h2>\n");
        pre(walk.loss().forward(), h);
        if (!walk.loss().backward().isEmpty()) {
            pre(walk.loss().backward(), h);
        }
        h.append("<table><tr><th>loss</th></tr><tr><th>TensorFlow</th><td>").append(value(walk.tensorflowLoss()))
                .append("</td></tr><tr><th>reference</th><td>").append(value(walk.referenceLoss()))
                .append("</td></tr></table>\n</section>\n");
        h.append("<section id=\"backward\">\n<h2>Part 3: backward, from the loss down to the input</h2>\n");
        for (int k = walk.steps().size() - 1; k >= 0; k--) {
            backward(walk.steps().get(k), walk.steps().size(), h);
        }
        return h.append("</section>\n</body>\n</html>\n").toString();
    }

    /** A layer's point of the chart: its input's error (inherited), its own (local), forward and backward. */
    private static LayerChartRow row(WalkStep step) {
        LayerErrors l = step.errors();
        TensorComparison backward = l.worstLocalBackward();
        return new LayerChartRow(step.layer().name(),
                l.inheritedForward().map(TensorComparison::scaledError).orElse(Double.NaN),
                l.localForward().scaledError(), LayerErrorMapping.tolerance(l.localForward()),
                l.inheritedBackward().map(TensorComparison::scaledError).orElse(Double.NaN),
                backward.scaledError(), LayerErrorMapping.tolerance(backward));
    }

    private static void forward(WalkStep step, int layers, StringBuilder h) {
        h.append("<h3>Layer ").append(step.index()).append(" of ").append(layers).append(": ")
                .append(e(step.layer().name())).append(" (").append(e(step.layer().type())).append(")</h3>\n<p>")
                .append(e(shape(step.inputShape()) + " \u2192 " + shape(step.outputShape()))).append(", ")
                .append(String.format(Locale.ROOT, "%,d", step.parameterCount())).append(" parameters")
                .append(e(step.parameters().stream().map(p -> p.role().name().toLowerCase(Locale.ROOT) + " "
                        + shape(p.shape())).collect(Collectors.joining(", ", step.parameters().isEmpty() ? "" : " (",
                        step.parameters().isEmpty() ? "" : ")")))).append("</p>\n");
        for (Formula f : step.formulas()) {
            h.append("<p><b>").append(e(f.step())).append("</b></p>\n");
            pre(f.forward(), h);
        }
        values("output", step.tensorflow().output(), step.reference().output(), h);
        errors(step.errors().inheritedForward(), step.errors().localForward(), "the batch", h);
    }

    private static void backward(WalkStep step, int layers, StringBuilder h) {
        h.append("<h3>Layer ").append(step.index()).append(" of ").append(layers).append(", backward: ")
                .append(e(step.layer().name())).append("</h3>\n");
        for (int i = step.formulas().size() - 1; i >= 0; i--) {
            Formula f = step.formulas().get(i);
            if (!f.backward().isEmpty()) {
                h.append("<p><b>").append(e(f.step())).append("</b></p>\n");
                pre(f.backward(), h);
            }
        }
        Optional<INDArray> dOut = step.tensorflow().dOutput();
        if (dOut.isPresent()) {
            values("dOut", dOut.get(), step.reference().dOutput().orElseThrow(), h);
        } else {
            h.append("<p class=\"note\">No dOut: the last layer's backward pass starts at the loss.</p>\n");
        }
        values("dX", step.tensorflow().dInput(), step.reference().dInput(), h);
        for (Map.Entry<String, INDArray> g : step.reference().gradients().entrySet()) {
            values("d " + g.getKey(), step.tensorflow().gradients().get(g.getKey()), g.getValue(), h);
        }
        errors(step.errors().inheritedBackward(), step.errors().worstLocalBackward(), "the loss", h);
    }

    private static void values(String what, INDArray tensorflow, INDArray reference, StringBuilder h) {
        h.append("<table><tr><th colspan=\"").append(SHOWN + 1).append("\">").append(e(what)).append("</th></tr>");
        row("TensorFlow", tensorflow, h);
        row("reference", reference, h);
        h.append("</table>\n");
    }

    private static void row(String side, INDArray a, StringBuilder h) {
        INDArray flat = a.reshape(-1);
        h.append("<tr><th>").append(side).append("</th>");
        for (int i = 0; i < Math.min(SHOWN, flat.length()); i++) {
            h.append("<td>").append(value(flat.getDouble(i))).append("</td>");
        }
        h.append("</tr>");
    }

    private static void errors(Optional<TensorComparison> inherited, TensorComparison local, String source,
                               StringBuilder h) {
        h.append("<p class=\"errors\">inherited: ").append(e(inherited.map(WalkHtml::share)
                .orElse("none (from " + source + ")"))).append("; local: ").append(e(share(local))).append("</p>\n");
    }

    private static String share(TensorComparison c) {
        if (c.problem() != null) {
            return "FAILED (" + c.problem() + ")";
        }
        if (c.maxAbsError() == 0) {
            return "0 (bit for bit)";
        }
        return String.format(Locale.ROOT, "%.3g (%.2g%% of tolerance)", c.maxAbsError(), 100 * c.errorRatio());
    }

    private static void pre(String text, StringBuilder h) {
        h.append("<pre>").append(e(text)).append("</pre>\n");
    }

    private static String value(double v) {
        return String.format(Locale.ROOT, "%+.15e", v);
    }

    private static String shape(List<Integer> dims) {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String e(String text) {
        return HtmlWriter.escape(text);
    }
}
