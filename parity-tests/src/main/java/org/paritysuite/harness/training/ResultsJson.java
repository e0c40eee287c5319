package org.paritysuite.harness.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.paritysuite.harness.output.AtomicOutput;

/**
 * The numbers of {@code parity train} as JSON: every run with its plan, verdict, known defect,
 * steps and epochs (the same fields as the CSV columns). Non-finite numbers are {@code null}, as
 * in {@code parity verify}'s report, so every JSON parser reads the file.
 */
public final class ResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** The runs as a JSON tree; {@code passed} is the exit-status verdict (no run failed). */
    public static ObjectNode toJson(String title, List<RunResult> runs, Map<String, String> environment) {
        ObjectNode root = JSON.createObjectNode();
        root.put("title", title);
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::put);
        root.put("passed", runs.stream().allMatch(RunResult::passed));
        ArrayNode array = root.putArray("runs");
        for (RunResult r : runs) {
            ObjectNode run = array.addObject();
            RunPlan p = r.plan();
            run.put("name", p.name());
            run.put("model", p.spec().name());
            run.put("dataset", p.dataset().id());
            run.put("precision", p.precision().label());
            run.put("optimizer", p.optimizer());
            ObjectNode hp = run.putObject("hyperparameters");
            new TreeMap<>(p.spec().training().optimizerSpec().hyperparameters()).forEach(hp::put);
            run.put("batch_size", p.batchSize());
            run.put("train_images", p.trainImages());
            run.put("training_set", p.trainingSource());
            run.put("test_images", p.testImages());
            run.put("steps_per_epoch", p.stepsPerEpoch());
            run.put("epochs", p.epochs());
            run.put("note", p.note());
            run.put("verdict", r.verdict().label());
            run.put("passed", r.passed());
            run.put("detail", r.detail());
            if (r.knownDefect().isPresent()) {
                run.putObject("known_defect").put("optimizer", r.knownDefect().get().name())
                        .put("handling", r.knownDefect().get().handling().label()).put("reason", r.knownDefect().get().reason());
            } else {
                run.putNull("known_defect");
            }
            r.firstStepOutside().ifPresentOrElse(s -> run.put("first_step_outside_tolerance", s.step())
                    .put("first_tensor_outside_tolerance", s.outside()), () -> run.putNull("first_step_outside_tolerance")
                    .putNull("first_tensor_outside_tolerance"));
            number(run, "worst_tolerance_used", r.worstToleranceUsed());
            number(run, "seconds", r.seconds());
            ArrayNode steps = run.putArray("steps");
            for (StepRecord s : r.steps()) {
                ObjectNode o = steps.addObject().put("step", s.step()).put("epoch", s.epoch());
                number(o, "tf_train_loss", s.tfLoss());
                number(o, "ref_train_loss", s.refLoss());
                number(o, "tolerance_used", s.toleranceUsed());
                o.put("outside_tolerance", s.outside());
                o.put("free_running_drifted", s.drifted());
                o.put("kink", s.kink());
                number(o, "tf_ms", s.tfMillis());
                number(o, "ref_ms", s.refMillis());
            }
            ArrayNode epochs = run.putArray("epochs");
            for (EpochRecord e : r.epochs()) {
                ObjectNode o = epochs.addObject().put("epoch", e.epoch()).put("steps", e.steps());
                number(o, "tf_train_loss", e.tfTrainLoss());
                number(o, "ref_train_loss", e.refTrainLoss());
                number(o, "tf_test_loss", e.tf().loss());
                number(o, "ref_test_loss", e.ref().loss());
                number(o, "tf_test_accuracy", e.tf().accuracy());
                number(o, "ref_test_accuracy", e.ref().accuracy());
                number(o, "predictions_differ", e.predictionsDiffer());
                number(o, "max_abs_weight_diff", e.maxWeightDiff());
                number(o, "test_loss_diff", e.testLossDiff());
                number(o, "tolerance_used", e.toleranceUsed());
                o.put("steps_outside", e.stepsOutside());
                number(o, "tf_ms_per_step", e.tfMillisPerStep());
                number(o, "ref_ms_per_step", e.refMillisPerStep());
            }
        }
        return root;
    }

    /** Writes {@link #toJson} to {@code file}, all or nothing ({@link AtomicOutput}). */
    public static void write(String title, List<RunResult> runs, Map<String, String> environment, Path file) {
        ObjectNode tree = toJson(title, runs, environment);
        AtomicOutput.writeFile(file, "the JSON", out -> JSON.writeValue(out, tree));
    }

    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }
}
