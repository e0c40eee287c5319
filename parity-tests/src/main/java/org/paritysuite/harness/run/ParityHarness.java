package org.paritysuite.harness.run;

import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.TraceComparator;
import org.paritysuite.harness.policy.TolerancePolicy;
import org.paritysuite.harness.wiring.Sides;

import java.util.List;

/**
 * Runs a {@link ParityCase} on both sides and hands the traces to the {@link TraceComparator}
 * under the case's {@link TolerancePolicy#plan tolerance plan}: TensorFlow is the side under test
 * ("actual"), the hand-written reference the textbook ("expected"). Running and comparing stay
 * apart: {@link #trace} only runs, the comparator only compares.
 */
public final class ParityHarness {

    private final Side tensorflow;
    private final Side reference;

    /** A harness comparing the single-pass sides of {@code sides}. */
    public ParityHarness(Sides sides) {
        this.tensorflow = sides.tensorflow();
        this.reference = sides.reference();
    }

    /** Both traces of one case, TensorFlow's first, and the float64 referee of a float32 case (else null). */
    public record Traces(Trace tensorflow, Trace reference, Trace referee, double tensorflowMillis,
                         double referenceMillis) {
    }

    /**
     * Runs both sides once. A float32 case also runs the reference in float64 on the same weights
     * and batch: the referee that says which float32 side is further from the exact answer.
     */
    public Traces trace(ParityCase c) {
        Trace referee = c.precision() == Precision.FLOAT32 ? run(reference, c, Precision.FLOAT64) : null;
        return trace(c, referee);
    }

    /** Runs both sides once, with a referee already computed (or null). */
    public Traces trace(ParityCase c, Trace referee) {
        long t0 = System.nanoTime();
        Trace tfTrace = run(tensorflow, c, c.precision());
        long t1 = System.nanoTime();
        Trace refTrace = run(reference, c, c.precision());
        long t2 = System.nanoTime();
        return new Traces(tfTrace, refTrace, referee, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    private static Trace run(Side side, ParityCase c, Precision precision) {
        try (ModelRunner runner = side.build(c.spec(), c.weights(), precision)) {
            return runner.forwardBackward(c.batch());
        }
    }

    /** Runs both sides and compares every tensor. */
    public CaseResult run(ParityCase c) {
        return judge(c, trace(c));
    }

    /** Compares the traces of a case under its tolerance plan. */
    public static CaseResult judge(ParityCase c, Traces traces) {
        List<TensorCheck> checks = TraceComparator.compare(traces.tensorflow(), traces.reference(), traces.referee(),
                TolerancePolicy.plan(c.spec(), c.batch().size(), c.precision()), c.precision().toString());
        return new CaseResult(c.spec().name(), c.dataset(), c.precision(), c.batch().description(),
                c.batch().training(), checks,
                FirstDivergence.forward(checks), FirstDivergence.backward(checks),
                traces.tensorflowMillis(), traces.referenceMillis());
    }
}
