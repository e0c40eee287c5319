package org.paritysuite.harness.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.harness.output.AtomicOutput;
import org.paritysuite.harness.training.StepError;

/**
 * An {@link ErrorBaseline} as a JSON file (format in docs/baselines.md), written all or nothing
 * and read strictly: anything but the documented shape is bad input naming the file and the field.
 */
public final class BaselineFile {

    /** The {@code format} field every baseline file starts with. */
    static final String FORMAT = "parity-error-baseline";

    /** The version of the format this code writes and reads. */
    static final int VERSION = 1;

    /**
     * The largest file read: the zoo's baseline is about 1 MB (2,560 tensors, 66 trajectories of 20
     * steps); a selection of thousands of cases stays far below this.
     */
    static final long MAX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private BaselineFile() {
    }

    /** Writes {@code baseline} to {@code file} through {@link AtomicOutput}. */
    public static void write(ErrorBaseline baseline, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("rule", GrowthRule.describe());
        ObjectNode env = root.putObject("environment");
        baseline.environment().forEach(env::put);
        ObjectNode cases = root.putObject("cases");
        baseline.cases().forEach((id, c) -> {
            ObjectNode node = cases.putObject(id);
            node.put("fingerprint", c.fingerprint());
            node.put("precision", c.precision().label());
            ObjectNode tensors = node.putObject("tensors");
            c.tensors().forEach((key, t) -> tensors.putObject(key).put("max_abs_error", t.maxAbs())
                    .put("scale", t.scale()));
        });
        ObjectNode trajectories = root.putObject("trajectories");
        baseline.trajectories().forEach((id, t) -> {
            ObjectNode node = trajectories.putObject(id);
            node.put("fingerprint", t.fingerprint());
            node.put("precision", t.precision().label());
            var steps = node.putArray("steps");
            for (StepError s : t.steps()) {
                ObjectNode step = steps.addObject().put("step", s.step()).put("judged", s.judged());
                if (Double.isFinite(s.drift())) {
                    step.put("drift", s.drift());
                } else {
                    step.putNull("drift");
                }
            }
        });
        AtomicOutput.writeFile(file, "the error baseline", out -> JSON.writeValue(out, root));
    }

    /** Reads a baseline, refusing anything else as bad input naming {@code file} and the field. */
    public static ErrorBaseline read(Path file) {
        JsonNode root = parse(file);
        Fields f = new Fields(file);
        if (!FORMAT.equals(root.path("format").asText(null)) || root.path("version").asInt(-1) != VERSION) {
            throw f.bad("", "is not an error baseline: expected \"format\": \"" + FORMAT + "\" and \"version\": "
                    + VERSION + " (written by parity verify --record-baseline)");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.object(root, "environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            environment.put(e.getKey(), f.text(e.getValue(), "environment." + e.getKey()));
        }
        Map<String, ErrorBaseline.CaseErrors> cases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.object(root, "cases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "cases." + e.getKey();
            Map<String, ErrorBaseline.TensorError> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> ts = f.object(e.getValue(), at, "tensors").fields();
                 ts.hasNext(); ) {
                Map.Entry<String, JsonNode> t = ts.next();
                String tat = at + ".tensors." + t.getKey();
                tensors.put(t.getKey(), new ErrorBaseline.TensorError(
                        f.nonNegative(t.getValue(), tat, "max_abs_error"), f.nonNegative(t.getValue(), tat, "scale")));
            }
            cases.put(e.getKey(), new ErrorBaseline.CaseErrors(f.text(e.getValue().path("fingerprint"),
                    at + ".fingerprint"), f.precision(e.getValue(), at), tensors));
        }
        Map<String, ErrorBaseline.TrajectoryErrors> trajectories = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.object(root, "trajectories").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "trajectories." + e.getKey();
            JsonNode steps = e.getValue().path("steps");
            if (!steps.isArray()) {
                throw f.bad(at + ".steps", "must be an array of steps");
            }
            List<StepError> errors = new ArrayList<>();
            for (JsonNode s : steps) {
                String sat = at + ".steps[" + errors.size() + "]";
                if (s.path("step").asInt(-1) != errors.size() + 1) {
                    throw f.bad(sat + ".step", "must be " + (errors.size() + 1) + " (steps in order from 1)");
                }
                errors.add(new StepError(errors.size() + 1, f.nonNegative(s, sat, "judged"),
                        s.path("drift").isNull() ? Double.NaN : f.nonNegative(s, sat, "drift")));
            }
            trajectories.put(e.getKey(), new ErrorBaseline.TrajectoryErrors(f.text(e.getValue().path("fingerprint"),
                    at + ".fingerprint"), f.precision(e.getValue(), at), errors));
        }
        return new ErrorBaseline(environment, cases, trajectories);
    }

    private static JsonNode parse(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new FixtureException(file + ": no such baseline file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new FixtureException(file + ": " + size + " bytes is more than a baseline can be ("
                        + MAX_BYTES + ")");
            }
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new FixtureException(file + ": is not an error baseline: expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new FixtureException(file + ": not valid JSON (truncated or corrupt?) at line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FixtureException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Field access that names the file and the field in every refusal. */
    private record Fields(Path file) {

        FixtureException bad(String field, String problem) {
            return new FixtureException(file + (field.isEmpty() ? "" : ": field " + field) + ": " + problem);
        }

        JsonNode object(JsonNode parent, String field) {
            return object(parent, "", field);
        }

        JsonNode object(JsonNode parent, String at, String field) {
            JsonNode node = parent.path(field);
            if (!node.isObject()) {
                throw bad(at.isEmpty() ? field : at + "." + field, "must be an object");
            }
            return node;
        }

        String text(JsonNode node, String at) {
            if (!node.isTextual()) {
                throw bad(at, "must be a string");
            }
            return node.asText();
        }

        double nonNegative(JsonNode parent, String at, String field) {
            JsonNode node = parent.path(field);
            if (!node.isNumber() || !(node.asDouble() >= 0) || Double.isInfinite(node.asDouble())) {
                throw bad(at + "." + field, "must be a finite number >= 0");
            }
            return node.asDouble();
        }

        Precision precision(JsonNode parent, String at) {
            String label = text(parent.path("precision"), at + ".precision");
            try {
                return Precision.fromLabel(label);
            } catch (RuntimeException e) {
                throw bad(at + ".precision", "must be float32 or float64, found '" + label + "'");
            }
        }
    }
}
