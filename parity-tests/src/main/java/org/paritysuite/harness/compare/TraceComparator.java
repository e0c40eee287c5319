package org.paritysuite.harness.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Trace;

/**
 * Compares two traces tensor by tensor: the side under test ("actual") against the reference
 * ("expected"), each tensor under the tolerance its {@link TolerancePlan} gives, looked up by
 * kind and name. Runs nothing: the traces come from the runners.
 *
 * <p>Every tensor the reference traced gets a check, in the expected trace's order: a tensor the
 * side under test did not trace fails its check, named, as does a shape mismatch or a NaN or
 * infinity on either side ({@link TensorComparator}); none of these stops the comparison, so a
 * run always ends with its table and JSON. A tensor only the side under test traced has nothing
 * to be judged against; {@link #onlyInActual} names it, and the reports list it as not compared
 * (tensorflow-framework's Nadam, for one, keeps a per-variable {@code momentum} slot that it fills
 * with ones and never reads, which the published algorithm the reference follows does not have). With a float64 {@code referee}
 * trace, each float32 check also says which side is further from it ({@link Blame}).
 */
public final class TraceComparator {

    private TraceComparator() {
    }

    /**
     * One check per tensor of the expected trace.
     *
     * @param actual   the side under test's trace
     * @param expected the reference's trace
     * @param referee  a float64 trace of the same case to blame a float32 side with, or null
     * @param plan     the tolerance of every expected tensor
     * @param context  what the labels of failure messages end with, e.g. {@code float32}
     */
    public static List<TensorCheck> compare(Trace actual, Trace expected, Trace referee, TolerancePlan plan,
                                            String context) {
        List<TensorCheck> checks = new ArrayList<>();
        for (NamedTensor e : expected.tensors()) {
            Tolerance tolerance = plan.forTensor(e);
            String label = label(e, context);
            Optional<NamedTensor> a = actual.find(e.kind(), e.name());
            TensorComparison comparison = a.isPresent()
                    ? TensorComparator.compare(label, a.get().value(), e.value(), tolerance)
                    : TensorComparison.failed(label, e.value().shape(), 0, tolerance,
                            "The side under test traced no tensor " + e.key());
            Blame blame = referee == null || a.isEmpty() || !comparison.shapesMatch() ? null
                    : referee.find(e.kind(), e.name())
                            .filter(truth -> java.util.Arrays.equals(truth.value().shape(), e.value().shape()))
                            .map(truth -> Blame.of(a.get().value(), e.value(), truth.value()))
                            .orElse(null);
            checks.add(new TensorCheck(e.name(), e.kind(), comparison, blame));
        }
        return checks;
    }

    /** The keys of the tensors only the side under test traced, in its trace order. */
    public static List<String> onlyInActual(Trace actual, Trace expected) {
        return actual.tensors().stream().filter(a -> expected.find(a.kind(), a.name()).isEmpty())
                .map(NamedTensor::key).toList();
    }

    private static String label(NamedTensor t, String context) {
        return t.name() + " " + t.kind().jsonName() + ", " + context;
    }
}
