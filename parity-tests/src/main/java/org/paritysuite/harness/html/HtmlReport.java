package org.paritysuite.harness.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.report.ParityReport;
import org.paritysuite.harness.report.ReportSummary;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.Predictions;
import org.paritysuite.harness.training.KnownDefect;
import org.paritysuite.harness.training.RunPlan;
import org.paritysuite.harness.training.RunResult;

/**
 * Assembles the {@link HtmlPage} of a {@code parity verify} or {@code parity train} run, charts and
 * thumbnails rendered; {@link HtmlWriter} writes it.
 *
 * <p>What is drawn is chosen to keep the whole zoo's report small: a per-layer chart for every
 * failing case and for one case per model (its representative: the float32 training pass on its
 * first data set, the case {@code parity train} would start from), one chart per trajectory, and
 * per model its representative case's confusion matrices with thumbnails of at most
 * {@link #MAX_THUMBNAILS} examples the sides classify differently.
 */
public final class HtmlReport {

    /** The most thumbnails of differently classified examples a panel shows. */
    public static final int MAX_THUMBNAILS = 48;

    private HtmlReport() {
    }

    /**
     * The page of a {@code parity verify} run: {@code report}'s results, of {@code cases} (the
     * cases run, in the report's order, whose batches hold the images).
     */
    public static HtmlPage ofVerify(ParityReport report, List<ParityCase> cases) {
        if (cases.size() != report.cases().size()) {
            throw new IllegalArgumentException(cases.size() + " cases for " + report.cases().size() + " results");
        }
        ReportSummary summary = ReportSummary.of(report);
        List<HtmlPage.CaseRow> rows = new ArrayList<>();
        List<HtmlPage.Figure> layerCharts = new ArrayList<>();
        Map<String, Integer> representative = representatives(cases);
        for (int i = 0; i < cases.size(); i++) {
            ParityCase c = cases.get(i);
            CaseResult r = report.cases().get(i);
            if (!CaseResult.idOf(c).equals(r.id())) {
                throw new IllegalArgumentException("case " + i + " is " + CaseResult.idOf(c) + ", its result " + r.id());
            }
            rows.add(row(r));
            boolean isRepresentative = representative.get(r.model()) == i;
            if (!r.passed() || isRepresentative) {
                String why = r.passed() ? "the model's representative case, passed" : "FAILED at " + r.firstDivergence();
                layerCharts.add(new HtmlPage.Figure(r.displayName() + ": " + why,
                        HtmlCharts.layerChart(r.displayName(), LayerErrorMapping.of(c.spec(), r)), !r.passed()));
            }
        }
        List<HtmlPage.PredictionPanel> predictions = new ArrayList<>();
        representative.forEach((model, i) -> predictions.add(casePredictions(cases.get(i), report.cases().get(i),
                report.cases())));
        List<HtmlPage.Defect> defects = report.knownDefects().stream().map(s -> defect(s.defect(), s.status(), s.ok()))
                .toList();
        List<HtmlPage.Figure> trajectories = report.trajectories().stream().map(TrajectoryCurve::of)
                .map(HtmlReport::trajectoryFigure).toList();
        String subtitle = String.format(Locale.ROOT, "%d case(s) of %d model(s), %d trajectory(ies)", cases.size(),
                representative.size(), report.trajectories().size());
        return new HtmlPage("parity verify: TensorFlow Java against the reference", subtitle, summary.verdictLine(),
                summary.passed(), report.environment(), defects, rows, layerCharts, trajectories, predictions);
    }

    /**
     * The page of a {@code parity train} run: its {@code runs}, under {@code title} and
     * {@code subtitle} (those of its plot).
     */
    public static HtmlPage ofTrain(String title, String subtitle, List<RunResult> runs, Map<String, String> environment) {
        List<HtmlPage.Defect> defects = runs.stream().flatMap(r -> r.knownDefect().stream()).distinct()
                .map(d -> {
                    List<RunResult> mine = runs.stream().filter(r -> r.knownDefect().equals(Optional.of(d))).toList();
                    return new HtmlPage.Defect(d.name(), d.handling().label(), mine.stream()
                            .map(r -> "run '" + r.plan().name() + "': " + r.verdict().label())
                            .collect(Collectors.joining(", ")), mine.stream().allMatch(RunResult::passed), d.reason(),
                            d.reproducer());
                }).toList();
        List<HtmlPage.Figure> trajectories = runs.stream().map(TrajectoryCurve::of).map(HtmlReport::trajectoryFigure)
                .toList();
        List<HtmlPage.PredictionPanel> predictions = runs.stream().map(HtmlReport::runPredictions).toList();
        return new HtmlPage(title, subtitle, RunResult.verdictLine(runs), runs.stream().allMatch(RunResult::passed),
                environment, defects, List.of(), List.of(), trajectories, predictions);
    }

    /**
     * The cases whose per-layer charts the page draws besides the failing ones: each model's
     * representative case. A run that writes the page isolates them ({@code ParityHarness}), so
     * that their charts show local errors too.
     */
    public static Set<ParityCase> chartedCases(List<ParityCase> cases) {
        Set<ParityCase> charted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        representatives(cases).values().forEach(i -> charted.add(cases.get(i)));
        return charted;
    }

    /** Each model's representative case, by index: its first float32 training pass, else its first case. */
    private static Map<String, Integer> representatives(List<ParityCase> cases) {
        Map<String, Integer> chosen = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            ParityCase c = cases.get(i);
            Integer before = chosen.get(c.spec().name());
            if (before == null || !isFloat32Training(cases.get(before)) && isFloat32Training(c)) {
                chosen.put(c.spec().name(), i);
            }
        }
        return chosen;
    }

    private static boolean isFloat32Training(ParityCase c) {
        return c.precision() == Precision.FLOAT32 && c.batch().training();
    }

    private static HtmlPage.CaseRow row(CaseResult r) {
        Optional<TensorCheck> worst = r.checks().stream()
                .max(java.util.Comparator.comparingDouble(c -> c.comparison().errorRatio()));
        return new HtmlPage.CaseRow(r.model(), r.dataset(), r.precision().label(),
                r.training() ? "training" : "inference", r.passed(), r.firstDivergence(),
                worst.map(c -> c.comparison().errorRatio()).orElse(Double.NaN),
                worst.map(TensorCheck::key).orElse("-"), r.predictions().disagreements().length,
                r.predictions().labels().length);
    }

    private static HtmlPage.Defect defect(KnownDefect d, String status, boolean ok) {
        return new HtmlPage.Defect(d.name(), d.handling().label(), status, ok, d.reason(), d.reproducer());
    }

    private static HtmlPage.Figure trajectoryFigure(TrajectoryCurve curve) {
        return new HtmlPage.Figure(curve.name() + (curve.context().isEmpty() ? "" : ", " + curve.context()) + ": "
                + curve.verdict() + (curve.detail().isEmpty() ? "" : " (" + curve.detail() + ")"),
                HtmlCharts.trajectoryChart(curve), !curve.passed());
    }

    /** A model's representative case's predictions, and a word on its other cases'. */
    private static HtmlPage.PredictionPanel casePredictions(ParityCase c, CaseResult r, List<CaseResult> all) {
        ModelSpec spec = c.spec();
        String others = all.stream().filter(o -> o.model().equals(r.model()) && o != r
                        && o.predictions().disagreements().length > 0)
                .map(o -> o.displayName() + ": " + o.predictions().disagreements().length)
                .collect(Collectors.joining("; "));
        String note = others.isEmpty() ? "The model's other cases classify every example alike on both sides."
                : "Classified differently in the model's other cases: " + others + ".";
        String which = isFloat32Training(c) ? " (the model's float32 training case)" : " (the model has no float32"
                + " training case)";
        return panel(r.displayName() + which + ", batch " + r.batch(),
                r.predictions(), spec.classes(), i -> Thumbnails.of(c.batch().x(), i, spec.data().inputLow(),
                        spec.data().inputHigh()), note);
    }

    /** A training run's predictions on its test images after its last evaluation. */
    private static HtmlPage.PredictionPanel runPredictions(RunResult run) {
        RunPlan plan = run.plan();
        int epoch = run.last().epoch();
        if (plan.testInputs().isPresent()) {
            // The user's own test examples (train --test-inputs), already scaled to the spec's input range.
            INDArray x = plan.testInputs().get().x();
            ModelSpec spec = plan.spec();
            return panel("run '" + plan.name() + "': the first " + plan.testImages() + " examples of "
                            + plan.testInputs().get().inputsFile().getFileName() + " after epoch " + epoch,
                    run.predictions(), spec.classes(),
                    i -> Thumbnails.of(x, i, spec.data().inputLow(), spec.data().inputHigh()), "");
        }
        LabeledImages test = plan.images().load(plan.dataset(), Split.TEST).slice(0, plan.testImages());
        return panel("run '" + plan.name() + "': the first " + plan.testImages() + " "
                        + plan.images().name(plan.dataset(), Split.TEST) + " images after epoch " + epoch,
                run.predictions(), plan.spec().classes(), i -> Optional.of(Thumbnails.of(test, i)), "");
    }

    /** One example's thumbnail, if its input is a picture. */
    @FunctionalInterface
    private interface Picture {
        Optional<String> of(int example);
    }

    private static HtmlPage.PredictionPanel panel(String heading, Predictions p, int classes, Picture picture,
                                                  String note) {
        int[] labels = p.labels();
        int[] tf = p.tensorflow();
        int[] ref = p.reference();
        int[] differ = p.disagreements();
        List<HtmlPage.Figure> thumbnails = new ArrayList<>();
        boolean pictures = true;
        for (int i : IntStream.of(differ).limit(MAX_THUMBNAILS).toArray()) {
            Optional<String> png = picture.of(i);
            pictures &= png.isPresent();
            png.ifPresent(uri -> thumbnails.add(new HtmlPage.Figure(String.format(Locale.ROOT,
                    "example %d: label %d, TensorFlow %d, reference %d", i, labels[i], tf[i], ref[i]), uri, true)));
        }
        String more = differ.length > MAX_THUMBNAILS ? "Showing the first " + MAX_THUMBNAILS + " of " + differ.length
                + " examples classified differently. " : "";
        String notPictures = pictures ? "" : "The model's inputs are not images; no thumbnails. ";
        return new HtmlPage.PredictionPanel(heading, ConfusionMatrix.of("TensorFlow", labels, tf, classes),
                ConfusionMatrix.of("reference", labels, ref, classes), thumbnails, differ.length,
                (more + notPictures + note).strip());
    }
}
