package org.paritysuite.harness.html;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the HTML report shows, ready to be written ({@link HtmlWriter}): plain values and
 * already-rendered images, no HTML. {@link HtmlReport} builds it from a run. A section with
 * nothing to show (a {@code parity train} run has no cases) is empty and not written.
 *
 * @param title        the page's title
 * @param subtitle     what was run, in one line
 * @param verdict      the verdict line the command prints
 * @param passed       whether the run passed
 * @param environment  versions and settings ({@code report.Environment})
 * @param knownDefects the known TensorFlow-side defects and what this run says of each
 * @param cases        one row per case ({@code parity verify})
 * @param layerCharts  per-layer charts of error against tolerance
 * @param trajectories one chart per trajectory or training run
 * @param predictions  per model or run: both sides' confusion matrices and the examples they
 *                     classify differently
 */
public record HtmlPage(String title, String subtitle, String verdict, boolean passed, Map<String, String> environment,
                       List<Defect> knownDefects, List<CaseRow> cases, List<Figure> layerCharts,
                       List<Figure> trajectories, List<PredictionPanel> predictions) {

    public HtmlPage {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        knownDefects = List.copyOf(knownDefects);
        cases = List.copyOf(cases);
        layerCharts = List.copyOf(layerCharts);
        trajectories = List.copyOf(trajectories);
        predictions = List.copyOf(predictions);
    }

    /**
     * A known defect in this run.
     *
     * @param subject    what it concerns: an optimizer by its name, else the subject (e.g. {@code loss:epsilon in float64})
     * @param handling   what the suite does about it ({@code worked around}, {@code diverges})
     * @param status     what this run found ({@code reproduces}, {@code FIXED?}, a run's verdict)
     * @param ok         false when the run fails because of it ({@code FIXED?})
     * @param reason     what TensorFlow Java does
     * @param reproducer how the suite shows it
     */
    public record Defect(String subject, String handling, String status, boolean ok, String reason,
                         String reproducer) {
    }

    /**
     * One case of {@code parity verify}.
     *
     * @param model           model id
     * @param dataset         data set id
     * @param precision       precision label
     * @param mode            {@code training} or {@code inference}
     * @param passed          the case's verdict
     * @param firstDivergence the first tensors outside tolerance, or "-"
     * @param worstUsed       the greatest share of its tolerance any tensor used (1 is the limit)
     * @param worstTensor     the tensor that used it
     * @param differ          examples the two sides classify differently
     * @param examples        examples in the batch
     */
    public record CaseRow(String model, String dataset, String precision, String mode, boolean passed,
                          String firstDivergence, double worstUsed, String worstTensor, int differ, int examples) {
    }

    /**
     * An image with its caption.
     *
     * @param caption what it shows
     * @param dataUri the PNG as a {@code data:} URI
     * @param failed  whether it shows something that failed (highlighted)
     */
    public record Figure(String caption, String dataUri, boolean failed) {
    }

    /**
     * Both sides' predictions on one set of examples.
     *
     * @param heading    model or run, and which examples
     * @param tensorflow TensorFlow's confusion matrix
     * @param reference  the reference's confusion matrix
     * @param differing  the examples the sides classify differently, as thumbnails (possibly fewer
     *                   than {@code differCount}: see {@link HtmlReport#MAX_THUMBNAILS})
     * @param differCount how many examples the sides classify differently
     * @param note       what else the reader should know (other cases' disagreements, inputs that are no pictures)
     */
    public record PredictionPanel(String heading, ConfusionMatrix tensorflow, ConfusionMatrix reference,
                                  List<Figure> differing, int differCount, String note) {

        public PredictionPanel {
            differing = List.copyOf(differing);
        }
    }
}
