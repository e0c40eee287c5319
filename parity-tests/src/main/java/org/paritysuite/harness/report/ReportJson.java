package org.paritysuite.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.harness.baseline.BaselineComparison;
import org.paritysuite.harness.baseline.Growth;
import org.paritysuite.harness.baseline.GrowthRule;
import org.paritysuite.harness.compare.KerasCheck;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.isolation.Isolation;
import org.paritysuite.harness.isolation.LayerErrors;
import org.paritysuite.harness.run.CaseResult;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.training.KnownDefect;
import org.paritysuite.harness.training.KnownDefectStatus;
import org.paritysuite.harness.training.StepError;
import org.paritysuite.harness.training.TrajectoryCase;

/**
 * Writes a {@link ParityReport} as JSON, in the shape documented in {@code docs/report-format.md}.
 * Non-finite numbers are written as {@code null} so that every JSON parser reads the file.
 */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** The report as a JSON tree. */
    public static ObjectNode toJson(ParityReport report) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode env = root.putObject("environment");
        report.environment().forEach(env::put);
        ReportSummary.of(report).writeTo(root);
        ArrayNode cases = root.putArray("cases");
        for (CaseResult c : report.cases()) {
            cases.add(caseJson(c));
        }
        ArrayNode trajectories = root.putArray("trajectories");
        for (TrajectoryCase.Outcome o : report.trajectories()) {
            ObjectNode node = trajectories.addObject();
            node.put("id", o.trajectory().id());
            node.put("fingerprint", o.trajectory().fingerprint());
            node.put("model", o.trajectory().spec().name());
            node.put("dataset", o.trajectory().dataset().id());
            node.put("optimizer", o.trajectory().spec().training().optimizer());
            ObjectNode hyper = node.putObject("hyperparameters");
            o.trajectory().spec().training().hyperparameters().forEach(hyper::put);
            node.put("precision", o.trajectory().precision().label());
            node.put("steps", o.trajectory().steps());
            node.put("verdict", o.verdict().label());
            node.put("passed", o.passed());
            if (!o.notCompared().isEmpty()) {
                o.notCompared().forEach(node.putArray("not_compared")::add);
            }
            if (o.firstFailingStep().isPresent()) {
                node.put("first_failing_step", o.firstFailingStep().get());
            } else {
                node.putNull("first_failing_step");
            }
            number(node, "worst_error_ratio", o.worstUsed());
            node.put("kink_steps", o.kinkSteps());
            if (o.driftFrom().isPresent()) {
                node.put("drift_from_step", o.driftFrom().get());
            } else {
                node.putNull("drift_from_step");
            }
            number(node, "final_weight_divergence", o.finalDivergence());
            node.put("detail", o.detail());
            number(node.putObject("timing_ms"), "wall", o.wallMillis());
            ArrayNode steps = node.putArray("step_errors");
            for (StepError e : o.stepErrors()) {
                ObjectNode step = steps.addObject().put("step", e.step());
                number(step, "judged", e.judged());
                number(step, "drift", e.drift());
            }
        }
        report.baseline().ifPresent(b -> baselineJson(b, root.putObject("baseline")));
        ArrayNode known = root.putArray("known_defects");
        for (KnownDefectStatus s : report.knownDefects()) {
            KnownDefect d = s.defect();
            ObjectNode entry = known.addObject().put("subject", d.subject());
            d.optimizer().ifPresent(o -> entry.put("optimizer", o));
            entry.put("handling", d.handling().label()).put("status", s.status()).put("ok", s.ok())
                    .put("reason", d.reason()).put("reproducer", d.reproducer());
        }
        return root;
    }

    /**
     * Writes the report to {@code file} all or nothing ({@link AtomicOutput}): a run killed while
     * writing leaves the previous report or the new one, never a half-written one.
     */
    public static void write(ParityReport report, Path file) {
        write(toJson(report), file);
    }

    /** Writes a report's tree (a run's, with its shard section, or a merged one) to {@code file}, all or nothing. */
    public static void write(JsonNode tree, Path file) {
        AtomicOutput.writeFile(file, "the JSON report", out -> JSON.writeValue(out, tree));
    }

    /** Every gated error beside its baseline, then the reported free-running drift. */
    private static void baselineJson(BaselineComparison b, ObjectNode node) {
        node.put("file", b.file().toString());
        node.put("passed", b.passed());
        node.put("rule", GrowthRule.describe());
        node.put("factor", GrowthRule.FACTOR);
        node.put("floor_roundings", GrowthRule.FLOOR_ROUNDINGS);
        growthsJson(b.errors(), node.putArray("errors"));
        growthsJson(b.drift(), node.putArray("drift"));
    }

    private static void growthsJson(java.util.List<Growth> growths, ArrayNode array) {
        for (Growth g : growths) {
            ObjectNode row = array.addObject().put("id", g.id()).put("what", g.what());
            number(row, "baseline_error", g.baseline());
            number(row, "current_error", g.current());
            number(row, "ratio", g.ratio());
            row.put("gated", g.gated());
            row.put("passed", g.passed());
        }
    }

    private static ObjectNode caseJson(CaseResult c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", c.id());
        node.put("fingerprint", c.fingerprint());
        node.put("model", c.model());
        node.put("dataset", c.dataset());
        node.put("precision", c.precision().label());
        node.put("batch", c.batch());
        node.put("mode", c.training() ? "training" : "inference");
        node.put("passed", c.passed());
        node.put("kink_crossing", c.kinkExcused() ? c.kinkCrossing().orElseThrow() : null);
        if (!c.notCompared().isEmpty()) {
            c.notCompared().forEach(node.putArray("not_compared")::add);
        }
        ObjectNode first = node.putObject("first_divergence");
        first.put("forward", c.firstForward().orElse(null));
        first.put("backward", c.firstBackward().orElse(null));
        first.put("forward_culprit", c.forwardCulprit().orElse(null));
        first.put("backward_culprit", c.backwardCulprit().orElse(null));
        ObjectNode timing = node.putObject("timing_ms");
        number(timing, "tensorflow", c.tensorflowMillis());
        number(timing, "reference", c.referenceMillis());
        number(timing, "wall", c.wallMillis());
        c.keras().ifPresent(k -> kerasJson(k, node.putObject("keras")));
        c.isolation().ifPresent(i -> isolationJson(i, node.putArray("isolation")));
        c.isolation().flatMap(Isolation::skipped).ifPresent(why -> node.put("isolation_skipped", why));
        ArrayNode checks = node.putArray("checks");
        for (TensorCheck check : c.checks()) {
            ObjectNode json = checks.addObject().setAll(checkJson(check));
            if (c.excusedByKink(check)) {
                json.put("excused_by_kink", true);
            }
        }
        return node;
    }

    private static ObjectNode checkJson(TensorCheck check) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tensor", check.tensor());
        node.put("kind", check.kind().jsonName());
        comparisonJson(check.comparison(), node);
        if (check.blame() != null) {
            ObjectNode blame = node.putObject("blame");
            blame.put("side", check.blame().verdict());
            number(blame, "tensorflow_error_vs_float64", check.blame().tensorflowError());
            number(blame, "reference_error_vs_float64", check.blame().referenceError());
        }
        if (!check.comparison().passed()) {
            node.put("message", check.comparison().message());
        }
        return node;
    }

    /** Every layer's inherited and local errors, forward and backward, in layer order. */
    private static void isolationJson(Isolation isolation, ArrayNode layers) {
        for (LayerErrors l : isolation.layers()) {
            ObjectNode layer = layers.addObject().put("layer", l.layer());
            l.inheritedForward().ifPresentOrElse(cmp -> errorJson(cmp, layer.putObject("inherited_forward")),
                    () -> layer.putNull("inherited_forward"));
            errorJson(l.localForward(), layer.putObject("local_forward"));
            l.inheritedBackward().ifPresentOrElse(cmp -> errorJson(cmp, layer.putObject("inherited_backward")),
                    () -> layer.putNull("inherited_backward"));
            errorJson(l.localBackward(), layer.putObject("local_backward"));
            ArrayNode gradients = layer.putArray("local_gradients");
            l.localGradients().forEach(cmp -> errorJson(cmp, gradients.addObject()));
        }
    }

    /** The few numbers of a comparison a per-layer chart needs. */
    private static void errorJson(TensorComparison cmp, ObjectNode node) {
        node.put("label", cmp.label());
        number(node, "max_abs_error", cmp.maxAbsError());
        number(node, "scaled_error", cmp.scaledError());
        number(node, "error_ratio", cmp.errorRatio());
        node.put("rtol", cmp.tolerance().rtol());
        node.put("atol", cmp.tolerance().atol());
        node.put("passed", cmp.passed());
        if (cmp.problem() != null) {
            node.put("problem", cmp.problem());
        }
    }

    /** Both sides' outputs against the saved Keras predictions, each with a check's numbers. */
    private static void kerasJson(KerasCheck keras, ObjectNode node) {
        node.put("passed", keras.passed());
        kerasSideJson(keras.tensorflow(), node.putObject("tensorflow"));
        kerasSideJson(keras.reference(), node.putObject("reference"));
    }

    private static void kerasSideJson(TensorComparison cmp, ObjectNode node) {
        comparisonJson(cmp, node);
        if (!cmp.passed()) {
            node.put("message", cmp.message());
        }
    }

    /** A comparison's shape, errors, tolerance and verdict. */
    private static void comparisonJson(TensorComparison cmp, ObjectNode node) {
        ArrayNode shape = node.putArray("shape");
        for (long d : cmp.shape()) {
            shape.add(d);
        }
        number(node, "max_abs_error", cmp.maxAbsError());
        number(node, "max_rel_error", cmp.maxRelError());
        number(node, "max_ulp", cmp.maxUlp());
        number(node, "scale", cmp.scale());
        number(node, "scaled_error", cmp.scaledError());
        number(node, "error_ratio", cmp.errorRatio());
        node.put("mismatched", cmp.mismatched());
        node.put("elements", cmp.elements());
        ObjectNode tol = node.putObject("tolerance");
        tol.put("rtol", cmp.tolerance().rtol());
        tol.put("atol", cmp.tolerance().atol());
        tol.put("reason", cmp.tolerance().reason());
        node.put("passed", cmp.passed());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** A report's size is bounded by the zoo's: 128 cases of 2,560 checks are about 2 MB of JSON. */
    private static final long MAX_REPORT_BYTES = 256L << 20;

    /**
     * A JSON report of parity verify, read back (by {@code parity drift}, {@code merge} and
     * {@code costs}), or bad input naming the file: missing, too large, not JSON, not a report, or
     * written by an older parity.
     */
    public static JsonNode read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new FixtureException(file + ": no such report file");
            }
            if (Files.size(file) > MAX_REPORT_BYTES) {
                throw new FixtureException(file + ": larger than a report can be (" + MAX_REPORT_BYTES + " bytes)");
            }
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.path("cases").isArray() || !root.path("environment").isObject()) {
                throw new FixtureException(file + ": is not a JSON report of parity verify (no \"cases\" array and"
                        + " \"environment\" object)");
            }
            for (JsonNode c : root.path("cases")) {
                if (!c.path("id").isTextual() || !c.path("checks").isArray()) {
                    throw new FixtureException(file + ": a case without \"id\" or \"checks\": written by an older"
                            + " parity; run parity verify --json again");
                }
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new FixtureException(file + ": not valid JSON (truncated or corrupt?) at line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FixtureException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * A {@code known_defects} entry's name: its optimizer for an optimizer's defect (as reports before
     * {@code subject} existed name it), its {@code subject} otherwise.
     */
    public static String defectName(JsonNode defect) {
        return defect.has("optimizer") ? defect.path("optimizer").asText() : defect.path("subject").asText();
    }
}
