package org.paritysuite.harness.run;

import org.paritysuite.harness.compare.KerasCheck;
import org.paritysuite.harness.compare.KinkCrossing;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.isolation.Isolation;
import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.Precision;

/**
 * The outcome of one {@link ParityCase}.
 *
 * @param model         model id
 * @param fingerprint   what the case's numbers depend on besides the code ({@link ParityCase#fingerprint()})
 * @param dataset       data set id
 * @param precision     precision of both sides
 * @param batch         what the batch was
 * @param training      whether this was a training pass (dropout on, batch statistics) or inference
 * @param checks        one check per traced tensor, in trace order
 * @param notCompared   the tensors only TensorFlow traced (keys), which nothing judged
 * @param firstForward  the first tensor, in forward order, outside its tolerance
 * @param firstBackward the first gradient, from the loss down, outside its tolerance and not excused
 * @param kinkCrossing  the kink crossing that explains the gradients outside their tolerance, if
 *                      one does ({@link KinkCrossing}); empty when no gradient failed
 * @param keras         both sides' outputs against the predictions saved from Keras ({@code --expect}), when given
 * @param predictions   each side's predicted class of every example, beside the labels
 * @param isolation     every layer's local and inherited error, when the case was isolated (a
 *                      failing case is, and every case with {@code --isolate}); it names the
 *                      culprit layer by its own error
 * @param tensorflowMillis wall time of TensorFlow's forward+backward pass (graph built beforehand)
 * @param referenceMillis  wall time of the reference's forward+backward pass
 * @param wallMillis       wall time of the whole case: its runners when it was the first to need them,
 *                         its float64 referee when no twin provided one, both passes and the comparison
 *                         (what a shard plan costs a case at, {@code harness.shard.CostTable}); NaN
 *                         for a result not timed
 */
public record CaseResult(String model, String fingerprint, String dataset, Precision precision, String batch, boolean training,
                         List<TensorCheck> checks, List<String> notCompared,
                         Optional<String> firstForward, Optional<String> firstBackward,
                         Optional<String> kinkCrossing, Optional<KerasCheck> keras, Predictions predictions,
                         Optional<Isolation> isolation,
                         double tensorflowMillis,
                         double referenceMillis, double wallMillis) {

    public CaseResult {
        checks = List.copyOf(checks);
        notCompared = List.copyOf(notCompared);
    }

    /** This result with the case's whole wall time, measured around its {@link ParityHarness#judge judging} too. */
    public CaseResult withWallMillis(double millis) {
        return new CaseResult(model, fingerprint, dataset, precision, batch, training, checks, notCompared,
                firstForward, firstBackward, kinkCrossing, keras, predictions, isolation, tensorflowMillis, referenceMillis,
                millis);
    }

    /** This result with its per-layer isolation. */
    public CaseResult withIsolation(Isolation isolated) {
        return new CaseResult(model, fingerprint, dataset, precision, batch, training, checks, notCompared,
                firstForward, firstBackward, kinkCrossing, keras, predictions, Optional.of(isolated), tensorflowMillis,
                referenceMillis, wallMillis);
    }

    /** The first layer, in forward order, whose own forward computation leaves its tolerance ({@link Isolation}). */
    public Optional<String> forwardCulprit() {
        return isolation.flatMap(Isolation::forwardCulprit);
    }

    /** The first layer, from the loss down, whose own backward computation leaves its tolerance. */
    public Optional<String> backwardCulprit() {
        return isolation.flatMap(Isolation::backwardCulprit);
    }

    /**
     * True when every tensor is within tolerance, except gradients that a kink crossing explains
     * while the whole forward pass agreed: two correct float32 implementations whose roundings put a
     * ReLU unit or a max-pool window's winner on different sides of the kink
     * ({@link KinkCrossing}; the same rule as a training step's); and, with saved Keras
     * predictions, when both sides' outputs are within their tolerance of them.
     */
    public boolean passed() {
        return checks.stream().allMatch(c -> c.passed() || excusedByKink(c)) && keras.map(KerasCheck::passed)
                .orElse(true);
    }

    /** Whether a failing check is a gradient explained by this case's kink crossing. */
    public boolean excusedByKink(TensorCheck check) {
        return KinkCrossing.excuses(kinkCrossing, check, checks);
    }

    /** Whether a kink crossing excused some gradient of this case. */
    public boolean kinkExcused() {
        return checks.stream().anyMatch(this::excusedByKink);
    }

    /**
     * The first divergence in words, e.g. {@code dense_1 (forward), dense_1/kernel (backward)}, or
     * "-". Where per-layer isolation names a culprit by its own error, the culprit replaces the
     * first tensor outside tolerance: {@code dense_1 (forward, local)}.
     */
    public String firstDivergence() {
        Optional<String> forward = forwardCulprit().map(l -> l + " (forward, local)")
                .or(() -> firstForward.map(f -> f + " (forward)"));
        Optional<String> backward = backwardCulprit().map(l -> l + " (backward, local)")
                .or(() -> firstBackward.map(b -> b + " (backward)"));
        if (forward.isEmpty() && backward.isEmpty()) {
            return "-";
        }
        return forward.orElse("") + (forward.isPresent() && backward.isPresent() ? ", " : "") + backward.orElse("");
    }

    /**
     * The case's stable identifier, {@code model/dataset/precision/mode}, e.g.
     * {@code ist597-mlp/mnist/float32/training}: unique within a run and the same in every run, so
     * that baselines, shards and JUnit reports name a case the same way.
     */
    public String id() {
        return id(model, dataset, precision, training);
    }

    /** The {@link #id()} that {@code c}'s result will have, known before it runs. */
    public static String idOf(ParityCase c) {
        return id(c.spec().name(), c.dataset(), c.precision(), c.batch().training());
    }

    private static String id(String model, String dataset, Precision precision, boolean training) {
        return model + "/" + dataset + "/" + precision.label() + "/" + (training ? "training" : "inference");
    }

    /** {@code model / dataset / precision}, with {@code / inference} for an inference pass. */
    public String displayName() {
        return model + " / " + dataset + " / " + precision + (training ? "" : " / inference");
    }
}
