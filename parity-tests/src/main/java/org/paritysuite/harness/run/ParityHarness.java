package org.paritysuite.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.compare.TensorComparator;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.policy.DotProductLengths;
import org.paritysuite.harness.policy.TolerancePolicy;

/**
 * Runs a {@link ParityCase} on both sides and compares every tensor the reference traced with the
 * same tensor from TensorFlow: TensorFlow is the side under test ("actual"), the hand-written
 * reference the textbook ("expected").
 */
public final class ParityHarness {

    private final Side tensorflow;
    private final Side reference;

    /** A harness comparing the {@code tensorflow} side with the {@code reference} side. */
    public ParityHarness(Side tensorflow, Side reference) {
        this.tensorflow = tensorflow;
        this.reference = reference;
    }

    /** Both traces of one case, TensorFlow's first. */
    public record Traces(Trace tensorflow, Trace reference, double tensorflowMillis, double referenceMillis) {
    }

    /** Runs both sides once and keeps their traces. */
    public Traces trace(ParityCase c) {
        try (ModelRunner tf = tensorflow.build(c.spec(), c.weights(), c.precision());
             ModelRunner ref = reference.build(c.spec(), c.weights(), c.precision())) {
            long t0 = System.nanoTime();
            Trace tfTrace = tf.forwardBackward(c.batch());
            long t1 = System.nanoTime();
            Trace refTrace = ref.forwardBackward(c.batch());
            long t2 = System.nanoTime();
            return new Traces(tfTrace, refTrace, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        }
    }

    /**
     * Runs both sides and compares every tensor. A float32 case also runs the reference in
     * float64 on the same weights and batch, the referee that says which float32 side is further
     * from the exact answer ({@link Blame}).
     */
    public CaseResult run(ParityCase c) {
        Traces traces = trace(c);
        Trace referee = null;
        if (c.precision() == Precision.FLOAT32) {
            try (ModelRunner ref64 = reference.build(c.spec(), c.weights(), Precision.FLOAT64)) {
                referee = ref64.forwardBackward(c.batch());
            }
        }
        List<TensorCheck> checks = compare(c, traces.tensorflow(), traces.reference(), referee);
        return new CaseResult(c.spec().name(), c.dataset(), c.precision(), c.batch().description(),
                c.batch().training(), checks,
                FirstDivergence.forward(checks), FirstDivergence.backward(checks),
                traces.tensorflowMillis(), traces.referenceMillis());
    }

    /**
     * Compares every tensor of the reference trace with its TensorFlow counterpart and, when a
     * float64 {@code referee} trace is given, blames the float32 side further from it.
     */
    public static List<TensorCheck> compare(ParityCase c, Trace tf, Trace ref, Trace referee) {
        return compare(c, tf, ref, referee, 1);
    }

    /**
     * As {@link #compare(ParityCase, Trace, Trace, Trace)}, with every tolerance multiplied by
     * {@code growth} (a trajectory's later steps, see {@code StepTolerance}).
     */
    public static List<TensorCheck> compare(ParityCase c, Trace tf, Trace ref, Trace referee, double growth) {
        return compare(c, tf, ref, referee, growth, (tensor, tolerance) -> tolerance);
    }

    /**
     * Adjusts the tolerance of one tensor once the policy has set it; called in trace order, so
     * every gradient's tolerance is known before the first updated weight's.
     */
    @FunctionalInterface
    public interface ToleranceAdjustment {
        /** The tolerance to check {@code expected} with, given the policy's {@code tolerance}. */
        Tolerance adjust(NamedTensor expected, Tolerance tolerance);
    }

    /** As {@link #compare(ParityCase, Trace, Trace, Trace, double)}, each tolerance then adjusted. */
    public static List<TensorCheck> compare(ParityCase c, Trace tf, Trace ref, Trace referee, double growth,
                                            ToleranceAdjustment adjustment) {
        DotProductLengths lengths = new DotProductLengths(c.spec(), c.batch().size());
        List<TensorCheck> checks = new ArrayList<>();
        for (NamedTensor expected : ref.tensors()) {
            Tolerance tolerance = adjustment.adjust(expected,
                    TolerancePolicy.forTensor(expected, expected.value(), c.precision(), lengths).scaled(growth));
            String label = expected.name() + " " + expected.kind().jsonName() + ", " + c.precision();
            Optional<NamedTensor> actual = tf.find(expected.key());
            TensorComparison comparison = actual.isPresent()
                    ? TensorComparator.compare(label, actual.get().value(), expected.value(), tolerance)
                    : TensorComparison.failed(label, expected.value().shape(), 0, tolerance,
                            "TensorFlow traced no tensor " + expected.key());
            Blame blame = referee == null || actual.isEmpty() || !comparison.shapesMatch() ? null
                    : referee.find(expected.key())
                            .map(truth -> Blame.of(actual.get().value(), expected.value(), truth.value()))
                            .orElse(null);
            checks.add(new TensorCheck(expected.name(), expected.kind(), comparison, blame));
        }
        return checks;
    }
}
