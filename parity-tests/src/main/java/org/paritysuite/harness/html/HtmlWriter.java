package org.paritysuite.harness.html;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * Writes an {@link HtmlPage} as one self-contained HTML file: the style sheet inline, every image
 * a {@code data:} URI, no script, nothing fetched when it is opened. Every text from the run
 * (names, messages, environment values) is escaped ({@link #escape}).
 *
 * <p>Sections carry fixed ids, which the browser test looks for: {@code summary},
 * {@code environment}, {@code known-defects}, {@code cases} and {@code layers} (verify only),
 * {@code trajectories}, {@code predictions}.
 */
public final class HtmlWriter {

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 1.5em auto; max-width: 1500px; color: #222; background: #fff; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
            .subtitle { color: #555; margin-top: 0; }
            .verdict { font: bold 1.1em monospace; padding: 0.5em 0.8em; border-radius: 4px; }
            .ok { background: #e3f4e1; color: #1d6b18; } .fail { background: #fbe3e3; color: #a01818; }
            nav a { margin-right: 1em; }
            table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; } td.num { text-align: right; font-family: monospace; }
            tr.failed td { background: #fdeeee; }
            .figures { display: flex; flex-wrap: wrap; gap: 12px; }
            figure { margin: 0; border: 1px solid #ddd; padding: 6px; }
            figure.failed { border: 2px solid #d62728; }
            figcaption { font-size: 0.8em; max-width: 720px; overflow-wrap: anywhere; }
            .matrices { display: flex; flex-wrap: wrap; gap: 24px; }
            table.confusion td { text-align: right; font-family: monospace; min-width: 2.2em; }
            .thumbs { display: flex; flex-wrap: wrap; gap: 8px; }
            .thumbs img { width: 56px; height: 56px; image-rendering: pixelated; border: 1px solid #999; }
            .thumbs figure { border: none; padding: 0; }
            .thumbs figcaption { max-width: 100px; }
            .note { color: #555; font-size: 0.9em; }
            """;

    private HtmlWriter() {
    }

    /** Writes {@code page} to {@code file}, all or nothing ({@link AtomicOutput}). */
    public static void write(HtmlPage page, Path file) {
        byte[] html = render(page).getBytes(StandardCharsets.UTF_8);
        AtomicOutput.writeFile(file, "the HTML report", out -> out.write(html));
    }

    /** The page as HTML. */
    public static String render(HtmlPage page) {
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(page.title())).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        summary(page, h);
        environment(page.environment(), h);
        defects(page.knownDefects(), h);
        if (!page.cases().isEmpty()) {
            cases(page.cases(), h);
            figures("layers", "Errors per layer", "Each tensor's greatest difference relative to its scale"
                    + " (max|TF - ref| / max|ref|) against its tolerance, on a log scale: forward (activations, the"
                    + " output, the loss) and backward (the gradients of each layer's parameters, the worst of them)."
                    + " A point above the dashed tolerance failed. The inherited error is what a layer's output"
                    + " carries, including what it was fed; the local error, what the layer adds itself, is drawn"
                    + " when layer-by-layer runs measure it. Exact agreement (0) is not drawn. Shown: every failing"
                    + " case and one case per model.", page.layerCharts(), h);
        }
        if (!page.trajectories().isEmpty()) {
            figures("trajectories", "Trajectories", "Both sides trained in lockstep: each side's training loss per"
                    + " step (each free-running from the same initial weights) and, on a log scale, their distance"
                    + " |loss_tf - loss_ref|, which the overlapping curves cannot show.", page.trajectories(), h);
        }
        predictions(page.predictions(), h);
        h.append("<footer class=\"note\"><p>Written by the parity suite. Self-contained: no script, every image"
                + " embedded.</p></footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(HtmlPage page, StringBuilder h) {
        h.append("<header id=\"summary\">\n<h1>").append(escape(page.title())).append("</h1>\n<p class=\"subtitle\">")
                .append(escape(page.subtitle())).append("</p>\n<p class=\"verdict ").append(page.passed() ? "ok" : "fail")
                .append("\">").append(escape(page.verdict())).append("</p>\n<nav>");
        List<String[]> links = new java.util.ArrayList<>(List.of(new String[] {"environment", "Environment"},
                new String[] {"known-defects", "Known defects"}));
        if (!page.cases().isEmpty()) {
            links.add(new String[] {"cases", "Cases"});
            links.add(new String[] {"layers", "Errors per layer"});
        }
        if (!page.trajectories().isEmpty()) {
            links.add(new String[] {"trajectories", "Trajectories"});
        }
        links.add(new String[] {"predictions", "Predictions"});
        for (String[] link : links) {
            h.append("<a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a>");
        }
        h.append("</nav>\n</header>\n");
    }

    private static void environment(Map<String, String> environment, StringBuilder h) {
        h.append("<section id=\"environment\">\n<h2>Environment</h2>\n<table>\n");
        environment.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                .append("</td></tr>\n"));
        h.append("</table>\n</section>\n");
    }

    private static void defects(List<HtmlPage.Defect> defects, StringBuilder h) {
        h.append("<section id=\"known-defects\">\n<h2>Known TensorFlow-side defects</h2>\n");
        if (defects.isEmpty()) {
            h.append("<p>None concerns this run.</p>\n");
        } else {
            h.append("<table>\n<tr><th>subject</th><th>handling</th><th>in this run</th><th>what TensorFlow Java"
                    + " does</th><th>reproducer</th></tr>\n");
            for (HtmlPage.Defect d : defects) {
                h.append("<tr").append(d.ok() ? "" : " class=\"failed\"").append("><td>").append(escape(d.subject()))
                        .append("</td><td>").append(escape(d.handling())).append("</td><td>").append(escape(d.status()))
                        .append("</td><td>").append(escape(d.reason())).append("</td><td>").append(escape(d.reproducer()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");
    }

    private static void cases(List<HtmlPage.CaseRow> rows, StringBuilder h) {
        h.append("<section id=\"cases\">\n<h2>Cases</h2>\n<p class=\"note\">'worst used': the greatest share of its"
                + " tolerance any tensor of the case used (above 100% fails); 'classified differently': examples of"
                + " the batch whose predicted class differs between the sides.</p>\n<table>\n<tr><th>model</th>"
                + "<th>dataset</th><th>precision</th><th>mode</th><th>result</th><th>first divergence</th>"
                + "<th>worst used</th><th>worst tensor</th><th>classified differently</th></tr>\n");
        for (HtmlPage.CaseRow r : rows) {
            h.append("<tr").append(r.passed() ? "" : " class=\"failed\"").append("><td>").append(escape(r.model()))
                    .append("</td><td>").append(escape(r.dataset())).append("</td><td>").append(escape(r.precision()))
                    .append("</td><td>").append(escape(r.mode())).append("</td><td>").append(r.passed() ? "PASS" : "FAIL")
                    .append("</td><td>").append(escape(r.firstDivergence())).append("</td><td class=\"num\">")
                    .append(percent(r.worstUsed())).append("</td><td>").append(escape(r.worstTensor()))
                    .append("</td><td class=\"num\">").append(r.differ()).append(" / ").append(r.examples())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void figures(String id, String title, String explanation, List<HtmlPage.Figure> figures,
                                StringBuilder h) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(title)).append("</h2>\n<p class=\"note\">")
                .append(escape(explanation)).append("</p>\n<div class=\"figures\">\n");
        for (HtmlPage.Figure f : figures) {
            figure(f, h);
        }
        h.append("</div>\n</section>\n");
    }

    private static void figure(HtmlPage.Figure f, StringBuilder h) {
        h.append("<figure").append(f.failed() ? " class=\"failed\"" : "").append("><img src=\"").append(escape(f.dataUri()))
                .append("\" alt=\"").append(escape(f.caption())).append("\"><figcaption>").append(escape(f.caption()))
                .append("</figcaption></figure>\n");
    }

    private static void predictions(List<HtmlPage.PredictionPanel> panels, StringBuilder h) {
        h.append("<section id=\"predictions\">\n<h2>Predictions</h2>\n<p class=\"note\">Each side's confusion matrix"
                + " (rows: the true class, columns: the predicted class) and the examples the two sides classify"
                + " differently: two outputs within tolerance can still predict differently where an example's two"
                + " largest outputs nearly tie.</p>\n");
        for (HtmlPage.PredictionPanel p : panels) {
            h.append("<h3>").append(escape(p.heading())).append("</h3>\n<div class=\"matrices\">\n");
            confusion(p.tensorflow(), h);
            confusion(p.reference(), h);
            h.append("</div>\n");
            if (p.differCount() == 0) {
                h.append("<p>The two sides classify every example alike.</p>\n");
            } else {
                h.append("<p>").append(p.differCount()).append(" example(s) classified differently:</p>\n")
                        .append("<div class=\"thumbs\">\n");
                p.differing().forEach(f -> figure(f, h));
                h.append("</div>\n");
            }
            if (!p.note().isEmpty()) {
                h.append("<p class=\"note\">").append(escape(p.note())).append("</p>\n");
            }
        }
        h.append("</section>\n");
    }

    private static void confusion(ConfusionMatrix m, StringBuilder h) {
        int largest = 1;
        for (int t = 0; t < m.classes(); t++) {
            for (int p = 0; p < m.classes(); p++) {
                largest = Math.max(largest, m.count(t, p));
            }
        }
        h.append("<table class=\"confusion\">\n<caption>").append(escape(m.side())).append(": ").append(m.correct())
                .append(" of ").append(m.total()).append(" correct</caption>\n<tr><th>true \\ predicted</th>");
        for (int p = 0; p < m.classes(); p++) {
            h.append("<th>").append(p).append("</th>");
        }
        h.append("</tr>\n");
        for (int t = 0; t < m.classes(); t++) {
            h.append("<tr><th>").append(t).append("</th>");
            for (int p = 0; p < m.classes(); p++) {
                int n = m.count(t, p);
                // Shaded by count: the diagonal green, confusions red, so a glance finds both.
                String colour = t == p ? "44,160,44" : "214,39,40";
                h.append("<td style=\"background:rgba(").append(colour).append(String.format(Locale.ROOT, ",%.2f)\">",
                        n == 0 ? 0.0 : 0.15 + 0.6 * n / largest)).append(n).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : Double.isInfinite(share) ? "inf" : String.format(Locale.ROOT, "%.1f%%",
                100 * share);
    }

    /** {@code text} safe inside an HTML element or a quoted attribute. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
