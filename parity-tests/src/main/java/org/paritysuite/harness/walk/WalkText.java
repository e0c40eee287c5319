package org.paritysuite.harness.walk;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.fixtures.run.Formula;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.harness.compare.TensorComparison;

/**
 * A {@link Walkthrough} as text, in the order backpropagation runs: forward through every layer,
 * the loss, then backward from the loss down to the first layer. Each layer shows its shapes and
 * parameters, the reference's formulas, the first few values of example 0 on both sides, one above
 * the other so that the digits line up, and the errors.
 */
public final class WalkText {

    /** How many values of each tensor are shown: enough to compare digits, few enough to read. */
    static final int SHOWN = 4;

    private WalkText() {
    }

    /** The walk as text. */
    public static String render(Walkthrough walk) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Walk-through of %s: one batch (%s, %d examples, %s, %s pass) through"
                        + " TensorFlow Java and the reference, layer by layer.%n", name(walk.spec().name()),
                name(walk.batch()), walk.batchSize(), walk.precision(), walk.training() ? "training" : "inference"));
        s.append("Values are example 0's first elements in TensorFlow layout; 'inherited' error is what a layer was"
                + " fed,\n'local' what it adds (TensorFlow's layer run on the reference's input and incoming gradient),"
                + "\neach as the share of its tolerance used.\n");
        s.append("\nPART 1: FORWARD, from the input to the output\n");
        for (WalkStep step : walk.steps()) {
            forward(step, walk.steps().size(), s);
        }
        s.append("\nPART 2: THE LOSS\n\n");
        formula(walk.loss().forward(), s);
        if (!walk.loss().backward().isEmpty()) {
            formula(walk.loss().backward(), s);
        }
        s.append(String.format(Locale.ROOT, "  loss   TensorFlow %s%n         reference  %s%n",
                value(walk.tensorflowLoss()), value(walk.referenceLoss())));
        s.append("\nPART 3: BACKWARD, from the loss down to the input\n");
        for (int k = walk.steps().size() - 1; k >= 0; k--) {
            backward(walk.steps().get(k), walk.steps().size(), s);
        }
        return s.toString();
    }

    private static void forward(WalkStep step, int layers, StringBuilder s) {
        s.append(String.format(Locale.ROOT, "%nLayer %d of %d: %s (%s)   %s -> %s   %,d parameters%s%n",
                step.index(), layers, name(step.layer().name()), step.layer().type(), shape(step.inputShape()),
                shape(step.outputShape()), step.parameterCount(), parameters(step.parameters())));
        for (Formula f : step.formulas()) {
            s.append("  ").append(f.step()).append(":\n");
            formula(f.forward(), s);
        }
        values("output, example 0", step.tensorflow().output(), step.reference().output(), s);
        s.append(String.format(Locale.ROOT, "  error: inherited %s, local %s%n",
                step.errors().inheritedForward().map(WalkText::share).orElse("none (both read the batch)"),
                share(step.errors().localForward())));
    }

    private static void backward(WalkStep step, int layers, StringBuilder s) {
        s.append(String.format(Locale.ROOT, "%nLayer %d of %d, backward: %s (%s)%n", step.index(), layers,
                name(step.layer().name()), step.layer().type()));
        for (int i = step.formulas().size() - 1; i >= 0; i--) {
            Formula f = step.formulas().get(i);
            if (!f.backward().isEmpty()) {
                s.append("  ").append(f.step()).append(":\n");
                formula(f.backward(), s);
            }
        }
        Optional<INDArray> dOut = step.tensorflow().dOutput();
        if (dOut.isPresent()) {
            values("dOut, example 0", dOut.get(), step.reference().dOutput().orElseThrow(), s);
        } else {
            s.append("  dOut: none, the last layer's backward pass starts at the loss\n");
        }
        values("dX, example 0", step.tensorflow().dInput(), step.reference().dInput(), s);
        for (Map.Entry<String, INDArray> g : step.reference().gradients().entrySet()) {
            values("d " + g.getKey(), step.tensorflow().gradients().get(g.getKey()), g.getValue(), s);
        }
        s.append(String.format(Locale.ROOT, "  error: inherited %s, local %s%n",
                step.errors().inheritedBackward().map(WalkText::share).orElse("none (from the loss)"),
                share(step.errors().worstLocalBackward())));
    }

    private static void formula(String text, StringBuilder s) {
        for (String line : text.split("\n")) {
            s.append("      ").append(TerminalText.escape(line)).append('\n');
        }
    }

    /** The first values of example 0 (or of a parameter gradient) on both sides, one above the other. */
    private static void values(String what, INDArray tensorflow, INDArray reference, StringBuilder s) {
        s.append(String.format(Locale.ROOT, "  %s%n      TensorFlow %s%n      reference  %s%n", name(what),
                first(tensorflow), first(reference)));
    }

    private static String first(INDArray a) {
        INDArray flat = a.rank() > 1 && a.size(0) > 0 ? a.slice(0).reshape(-1) : a.reshape(-1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(SHOWN, flat.length()); i++) {
            s.append(value(flat.getDouble(i))).append("  ");
        }
        return s.toString().stripTrailing() + (flat.length() > SHOWN ? "  ..." : "");
    }

    private static String value(double v) {
        return String.format(Locale.ROOT, "%+.15e", v);
    }

    private static String share(TensorComparison cmp) {
        if (cmp.problem() != null) {
            return "FAILED (" + cmp.problem() + ")";
        }
        if (cmp.maxAbsError() == 0) {
            return "0 (bit for bit)";
        }
        return String.format(Locale.ROOT, "%.3g (%.2g%% of tolerance)", cmp.maxAbsError(), 100 * cmp.errorRatio());
    }

    private static String parameters(List<ParameterSpec> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.stream().map(p -> p.role().name().toLowerCase(Locale.ROOT) + " " + shape(p.shape()))
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String shape(List<Integer> dims) {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String name(String text) {
        return TerminalText.escape(text);
    }
}
