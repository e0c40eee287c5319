package org.paritysuite.harness.reduce;

import java.util.Optional;
import java.util.stream.Stream;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.CaseResult;

/**
 * How a case fails, the thing a reduction must keep: a smaller case counts only when it fails
 * <em>the same way</em> as the original, which is when its signature is equal to the original's.
 *
 * <p>The signature is three things, all compared exactly:
 * <ul>
 *   <li>the forward culprit: the first layer, in forward order, whose own forward computation
 *       leaves its tolerance (per-layer isolation, {@code docs/isolation.md}), or none;</li>
 *   <li>the backward culprit: the first layer from the loss down whose own input or parameter
 *       gradient does, or none;</li>
 *   <li>the kind of the first failing check in trace order ({@link FirstFailure}): a layer's output,
 *       the loss, a gradient, or a moving statistic.</li>
 * </ul>
 * Culprits are layer names, which a reduction keeps (it never renames or removes a culprit), so a
 * smaller model that fails in another layer, or only through accumulated rounding (no culprit), or
 * passes, is a different failure and is not taken. A layer's output and the model's output count as
 * one kind, since a reduction that removes the layers after the culprit makes the culprit's output
 * the model's output ({@code probs} in the trace) without changing what is wrong.
 *
 * @param forwardCulprit  the layer blamed forward, if isolation blamed one
 * @param backwardCulprit the layer blamed backward, if isolation blamed one
 * @param firstFailure    the kind of the first check outside its tolerance and not excused
 */
public record FailureSignature(Optional<String> forwardCulprit, Optional<String> backwardCulprit,
                               FirstFailure firstFailure) {

    /** The kind of a failing check, as far as "the same way" is concerned. */
    public enum FirstFailure {
        /** An activation or the model's output ({@code probs}). */
        LAYER_OUTPUT("a layer's output"),
        /** The loss. */
        LOSS("the loss"),
        /** A parameter's gradient. */
        GRADIENT("a gradient"),
        /** A batch normalization layer's updated moving mean or variance. */
        MOVING_STATISTIC("a moving statistic");

        private final String words;

        FirstFailure(String words) {
            this.words = words;
        }

        static FirstFailure of(TensorCheck check) {
            return switch (check.kind()) {
                case ACTIVATION, PROBS -> LAYER_OUTPUT;
                case LOSS -> LOSS;
                case GRADIENT -> GRADIENT;
                case WEIGHT -> MOVING_STATISTIC;
            };
        }
    }

    /**
     * The signature of {@code result}, or empty when it passed (a kink crossing's excused gradients
     * included, as {@link CaseResult#passed()} judges). A failing result is isolated by the harness,
     * so its culprits are known when the sides run layer by layer.
     */
    public static Optional<FailureSignature> of(CaseResult result) {
        if (result.passed()) {
            return Optional.empty();
        }
        // Trace order is forward first (activations, probs, loss), then gradients, then moving statistics.
        Stream<TensorCheck> failing = result.checks().stream().filter(c -> !c.passed() && !result.excusedByKink(c));
        FirstFailure first = failing.findFirst().map(FirstFailure::of)
                // Only a Keras check can fail with every tensor within tolerance; reduce makes no Keras check.
                .orElseThrow(() -> new IllegalStateException(result.id() + " failed without a failing check"));
        return Optional.of(new FailureSignature(result.forwardCulprit(), result.backwardCulprit(), first));
    }

    /** Whether {@code layer} is a culprit, forward or backward: a layer no reduction may remove. */
    public boolean blames(String layer) {
        return forwardCulprit.filter(layer::equals).isPresent() || backwardCulprit.filter(layer::equals).isPresent();
    }

    /** E.g. {@code culprit conv2d_1 forward, conv2d_1 backward; first failing check: a layer's output}. */
    @Override
    public String toString() {
        return "culprit " + forwardCulprit.orElse("none") + " forward, " + backwardCulprit.orElse("none")
                + " backward; first failing check: " + firstFailure.words;
    }
}
