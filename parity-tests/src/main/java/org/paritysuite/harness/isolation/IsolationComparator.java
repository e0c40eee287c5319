package org.paritysuite.harness.isolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.LayerPass;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.harness.compare.TensorComparator;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.policy.DotProductLengths;
import org.paritysuite.harness.policy.TolerancePolicy;

/**
 * Turns the layer-by-layer passes of an {@link IsolationRun} into {@link LayerErrors}: runs
 * nothing. Every comparison takes the tolerance the whole-model check of the same tensor takes
 * ({@link TolerancePolicy}): a layer's output that of its activation (the output's for the last
 * layer), an input that of the previous layer's output, a gradient with respect to a layer's input
 * that of its path ({@link TolerancePolicy#forInputGradient}), a parameter gradient that of the
 * traced gradient.
 */
public final class IsolationComparator {

    private final ModelSpec spec;
    private final Precision precision;
    private final DotProductLengths lengths;

    /** A comparator for cases of {@code spec} at batch size {@code batchSize} in {@code precision}. */
    public IsolationComparator(ModelSpec spec, int batchSize, Precision precision) {
        this.spec = spec;
        this.precision = precision;
        this.lengths = new DotProductLengths(spec, batchSize);
    }

    /** The errors of every layer, the side under test's passes against the reference's. */
    public Isolation compare(IsolationRun.Passes passes) {
        return withInherited(local(passes.reference(), passes.isolated()), passes.reference(), passes.underTest());
    }

    /**
     * A layer's local errors: the side under test's layer run on the reference's input and incoming
     * gradient, against the reference's output, input gradient and parameter gradients.
     */
    public record Local(String layer, TensorComparison forward, TensorComparison backward,
                        List<TensorComparison> gradients) {
    }

    /** Every layer's local errors, from the reference's own pass and the side under test's isolated layers. */
    public List<Local> local(List<LayerPass> reference, List<LayerPass> isolated) {
        requireLayers(reference, isolated);
        List<Local> local = new ArrayList<>();
        for (int k = 0; k < reference.size(); k++) {
            LayerPass ref = reference.get(k);
            String layer = ref.layer();
            TensorComparison forward = compare(layer + " output, run on the reference's input",
                    isolated.get(k).output(), ref.output(), outputTolerance(k, ref.output()));
            TensorComparison backward = compare(layer + " d loss/d input, run on the reference's input and"
                    + " incoming gradient", isolated.get(k).dInput(), ref.dInput(), inputGradientTolerance(k, ref.dInput()));
            List<TensorComparison> gradients = new ArrayList<>();
            for (Map.Entry<String, INDArray> g : ref.gradients().entrySet()) {
                INDArray actual = isolated.get(k).gradients().get(g.getKey());
                Tolerance tolerance = TolerancePolicy.forTensor(new NamedTensor(g.getKey(), TensorKind.GRADIENT,
                        g.getValue()), g.getValue(), precision, lengths);
                String label = g.getKey() + " gradient, run on the reference's input and incoming gradient";
                gradients.add(actual == null
                        ? TensorComparison.failed(label, g.getValue().shape(), 0, tolerance,
                                "The side under test computed no gradient for " + g.getKey())
                        : compare(label, actual, g.getValue(), tolerance));
            }
            local.add(new Local(layer, forward, backward, gradients));
        }
        return local;
    }

    /**
     * The isolation: each layer's {@code local} errors beside its inherited ones, what the side under
     * test's own pass fed it (its input forward, its incoming gradient backward) against the
     * reference's.
     */
    public Isolation withInherited(List<Local> local, List<LayerPass> reference, List<LayerPass> underTest) {
        requireLayers(reference, underTest);
        List<LayerErrors> errors = new ArrayList<>();
        for (int k = 0; k < reference.size(); k++) {
            LayerPass ref = reference.get(k);
            String layer = ref.layer();
            Optional<TensorComparison> inheritedForward = k == 0 ? Optional.empty()
                    : Optional.of(compare(layer + " input", underTest.get(k).input(), ref.input(),
                            outputTolerance(k - 1, ref.input())));
            Optional<TensorComparison> inheritedBackward = k == reference.size() - 1 ? Optional.empty()
                    : Optional.of(compare(layer + " d loss/d output", underTest.get(k).dOutput().orElseThrow(),
                            ref.dOutput().orElseThrow(), inputGradientTolerance(k + 1, ref.dOutput().orElseThrow())));
            Local l = local.get(k);
            errors.add(new LayerErrors(layer, inheritedForward, l.forward(), inheritedBackward, l.backward(),
                    l.gradients()));
        }
        return new Isolation(errors);
    }

    private void requireLayers(List<LayerPass> reference, List<LayerPass> other) {
        int layers = spec.layers().size();
        if (reference.size() != layers || other.size() != layers) {
            throw new IllegalStateException("model '" + spec.name() + "' has " + layers + " layers; the passes have "
                    + reference.size() + " and " + other.size());
        }
    }

    private TensorComparison compare(String what, INDArray actual, INDArray expected, Tolerance tolerance) {
        return TensorComparator.compare(what + ", " + precision, actual, expected, tolerance);
    }

    /** The whole-model tolerance of layer {@code k}'s output: its activation's, or the output's for the last layer. */
    private Tolerance outputTolerance(int k, INDArray expected) {
        NamedTensor tensor = k == spec.layers().size() - 1
                ? new NamedTensor("probs", TensorKind.PROBS, expected)
                : new NamedTensor(spec.layers().get(k).name(), TensorKind.ACTIVATION, expected);
        return TolerancePolicy.forTensor(tensor, expected, precision, lengths);
    }

    private Tolerance inputGradientTolerance(int k, INDArray expected) {
        return TolerancePolicy.forInputGradient(spec.layers().get(k).name(), expected, precision, lengths);
    }
}
