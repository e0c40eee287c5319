package org.paritysuite.harness.training;

import java.util.List;
import java.util.Optional;
import org.paritysuite.harness.wiring.Sides;

/**
 * The known places where TensorFlow Java departs from its documentation, from Keras, or from the
 * published algorithm. The reference never copies them; {@code parity verify} lists each in every
 * report with whether it still reproduces, and fails when one no longer does (so the entry, and any
 * workaround, is removed the day TensorFlow Java fixes it). Evidence: {@code docs/tensorflow-side.md},
 * "Optimizer steps" and "tensorflow-framework's own APIs"; pinned by {@code KnownDivergencesTest} and
 * tf-models' {@code TfModelStepTest} and {@code Framework*Test}s.
 *
 * @param subject    what it concerns, {@code kind:name}: {@code optimizer:adam}, {@code initializer:...},
 *                   {@code loss:...}, {@code regularizer:...}, {@code metric:...}, {@code session:...}
 * @param handling   what the suite does about it
 * @param reason     what TensorFlow Java does and how it departs
 * @param reproducer how the suite shows it, in words
 */
public record KnownDefect(String subject, Handling handling, String reason, String reproducer) {

    private static final String OPTIMIZER = "optimizer:";

    /** What the suite does about a defect. */
    public enum Handling {
        /**
         * The TensorFlow side avoids it (for an optimizer: composes the same TensorFlow kernel without the
         * defect, so its trajectories are judged like any other); the defect itself is checked by a live reproducer.
         */
        WORKED_AROUND("worked around"),
        /** The TensorFlow side runs it as it is; its trajectories are expected to part from the reference. */
        DIVERGES("diverges"),
        /** The TensorFlow side runs it as it is, and its effect lies inside the tolerances; checked by a live reproducer. */
        TOLERATED("tolerated"),
        /** A tensorflow-framework API the suite does not use (it builds its own); checked by a live reproducer. */
        NOT_USED("not used");

        private final String label;

        Handling(String label) {
            this.label = label;
        }

        /** The word in reports. */
        public String label() {
            return label;
        }
    }

    /** Every known defect. */
    public static final List<KnownDefect> ALL = List.of(
            new KnownDefect(OPTIMIZER + "adam", Handling.WORKED_AROUND, "tensorflow-framework's Adam (1.0.0 and 1.1.0) advances"
                    + " beta1_power/beta2_power in the same session run as ApplyAdam reads them, with no data or"
                    + " control edge between the two: the first step's bias correction varied between runs (0.744x"
                    + " and 0.526x the documented update observed). The TensorFlow side runs ApplyAdam through"
                    + " OrderedAdam, which adds the ordering Python TensorFlow has and changes nothing else",
                    "the graph tensorflow-framework's Adam builds has no path from the beta1_power Assign to"
                    + " ApplyAdam (FrameworkAdamRace)"),
            new KnownDefect(OPTIMIZER + "nadam", Handling.DIVERGES, "tensorflow-framework's Nadam (1.0.0 and 1.1.0) freezes its step counter"
                    + " when the graph is built: every run uses the t = 1 schedule and v / (1 - beta2); the"
                    + " reference follows the published algorithm (Dozat 2016), so the trajectories part: slightly"
                    + " at step 1 (its float32 schedule constants), widely from step 2",
                    "every nadam trajectory fails its judged steps: step 1 in float64 (the float32 schedule constants), step 2 in"
                    + " float32 (the frozen schedule)"),
            new KnownDefect("initializer:VarianceScaling(UNIFORM)", Handling.NOT_USED, "tensorflow-framework's"
                    + " VarianceScaling (so GlorotUniform, HeUniform, LeCunUniform) multiplies StatelessRandomUniform,"
                    + " which draws from [0, 1), by limit = sqrt(3 scale / n): every weight lies in [0, limit), Keras's"
                    + " in [-limit, limit). The suite's weights come from its own Glorot uniform",
                    "the least of 4096 uniform draws is not negative (FrameworkVarianceScaling; FrameworkInitializersTest,"
                    + " Kolmogorov-Smirnov p < 1e-9 against Keras's law)"),
            new KnownDefect("initializer:VarianceScaling(conv fans)", Handling.NOT_USED, "tensorflow-framework's"
                    + " VarianceScaling takes a conv kernel [KH, KW, C, F]'s receptive field as KH KW C (every dimension"
                    + " but the last) instead of KH KW: fan_in = KH KW C^2, fan_out = KH KW C F, C times Keras's, so"
                    + " every conv initializer's variance is C times too small",
                    "the fan_in read off VarianceScaling(FAN_IN, NORMAL) draws on [2, 2, 3, 4] is 36, Keras's 12"
                    + " (FrameworkVarianceScaling)"),
            new KnownDefect("loss:BinaryCrossentropy(probabilities)", Handling.NOT_USED, "tensorflow-framework's"
                    + " BinaryCrossentropy (fromLogits = false) clips the output to [eps, 1 - eps] and then adds eps"
                    + " inside both logs (Keras 2's tf.keras formula); Keras 3, the Keras of TensorFlow 2.18, takes the"
                    + " logs of the clipped output: a saturated wrong output costs -log(2e-7) = 15.42, not 16.12",
                    "BinaryCrossentropy(label 1, output 0) is -log(2 eps) (FrameworkLossEpsilon)"),
            new KnownDefect("loss:epsilon in float64", Handling.TOLERATED, "tensorflow-framework clips"
                    + " KLDivergence (which the TensorFlow side uses), and CategoricalCrossentropy and BinaryCrossentropy"
                    + " from probabilities, at Losses.EPSILON = 1e-7f cast to the graph's type: 1.0000000116860974e-7"
                    + " in float64, not Keras's 1e-7. A labelled class whose output falls below the bound moves the"
                    + " loss by 1.17e-8 per example; the generator keeps KL outputs above it (docs/fuzzing.md)",
                    "KLDivergence([1, 0], [0, 1]) in float64 is -log(b) + b log(b) with b = (double) 1e-7f"
                    + " (FrameworkLossEpsilon; KlClipBoundTest)"),
            new KnownDefect("regularizer:L2", Handling.NOT_USED, "tensorflow-framework's L2 regularizer takes and"
                    + " stores l2 as a float: in a float64 graph the default weighs sum(W^2) by (double) 0.01f ="
                    + " 0.009999999776482582, 2.2e-8 relative below Keras's 0.01. The suite builds lambda sum(W^2)"
                    + " with lambda in the graph's type",
                    "the default L2's penalty on a float64 [[1]] is (double) 0.01f (FrameworkL2Lambda)"),
            new KnownDefect("metric:confusionMatrix(transposed)", Handling.NOT_USED, "tensorflow-framework's"
                    + " MetricsHelper.confusionMatrix passes (predictions, labels) to squeezeOrExpandDimensions(labels,"
                    + " predictions) and reads them back the other way round: rows are predictions, columns labels,"
                    + " the transpose of tf.math.confusion_matrix",
                    "labels [0, 1], predictions [1, 1], 2 classes count [[0, 0], [1, 1]] (FrameworkConfusionMatrix)"),
            new KnownDefect("metric:confusionMatrix(num_classes)", Handling.NOT_USED, "tensorflow-framework's"
                    + " MetricsHelper.confusionMatrix without numClasses sizes the matrix max(labels, predictions),"
                    + " without tf.math.confusion_matrix's + 1: the largest class falls outside and the run fails",
                    "labels [0, 1], predictions [1, 1] without numClasses fail with an invalid index"
                    + " (FrameworkConfusionMatrix)"),
            new KnownDefect("session:fetched variable", Handling.WORKED_AROUND, "a Tensor that Session.run returns"
                    + " for a variable, directly or through its Identity read, is the variable's own buffer, not a"
                    + " snapshot: an optimizer's later in-place updates change it (read after 3 more steps it holds"
                    + " step 4's weights). The TensorFlow side copies every fetched tensor into ND4J before its next run",
                    "a tensor fetched after one GradientDescent step changes with three more (FetchedVariableAliasing)"));

    /** The known defect of an optimizer, if any. */
    public static Optional<KnownDefect> of(String optimizer) {
        return ALL.stream().filter(d -> d.subject().equals(OPTIMIZER + optimizer)).findFirst();
    }

    /** The optimizer concerned, for an optimizer's defect. */
    public Optional<String> optimizer() {
        return subject.startsWith(OPTIMIZER) ? Optional.of(subject.substring(OPTIMIZER.length())) : Optional.empty();
    }

    /** The name in reports: an optimizer's own name (as in its trajectories), the whole subject otherwise. */
    public String name() {
        return optimizer().orElse(subject);
    }

    /**
     * Whether it still reproduces, checked now by the live reproducer {@code sides} name for its
     * subject; empty for a diverging one, which its own trajectories show.
     */
    public Optional<Boolean> reproducesNow(Sides sides) {
        return sides.reproducer(subject).map(r -> r.getAsBoolean());
    }
}
