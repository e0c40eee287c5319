package org.paritysuite.harness.run;

import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.TraceComparator;
import org.paritysuite.harness.policy.TolerancePolicy;
import org.paritysuite.harness.wiring.Sides;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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

    /**
     * Runs every case on {@code threads} threads and returns the results in case order;
     * {@code done} hears of each as it finishes. A float32 case whose float64 twin (the same spec,
     * weights, data set, pass and batch) is among the cases takes the twin's reference trace as its
     * referee: the very computation the referee would repeat.
     */
    public List<CaseResult> runAll(List<ParityCase> cases, int threads, Consumer<CaseResult> done) {
        List<List<ParityCase>> groups = new ArrayList<>();
        Set<ParityCase> grouped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParityCase c : cases) {
            if (grouped.contains(c)) {
                continue;
            }
            Optional<ParityCase> twin = c.precision() != Precision.FLOAT32 ? Optional.empty()
                    : cases.stream().filter(o -> !grouped.contains(o) && isFloat64Twin(o, c)).findFirst();
            List<ParityCase> group = twin.map(t -> List.of(t, c)).orElse(List.of(c));
            grouped.addAll(group);
            groups.add(group);
        }
        Map<ParityCase, CaseResult> results = new IdentityHashMap<>();
        Concurrently.map(groups, threads, this::runGroup, (group, ran) -> ran.forEach(r -> done.accept(r.result())))
                .forEach(list -> list.forEach(r -> results.put(r.parityCase(), r.result())));
        return cases.stream().map(results::get).toList();
    }

    /** A case and its result, to put results back in case order. */
    private record Ran(ParityCase parityCase, CaseResult result) {
    }

    /** One case, or a float64 case and its float32 twin refereed by the float64 reference trace. */
    private List<Ran> runGroup(List<ParityCase> group) {
        if (group.size() == 1) {
            return List.of(new Ran(group.get(0), run(group.get(0))));
        }
        ParityCase c64 = group.get(0);
        ParityCase c32 = group.get(1);
        Traces t64 = trace(c64, null);
        Traces t32 = trace(c32, t64.reference());
        return List.of(new Ran(c64, judge(c64, t64)), new Ran(c32, judge(c32, t32)));
    }

    private static boolean isFloat64Twin(ParityCase candidate, ParityCase float32) {
        return candidate.precision() == Precision.FLOAT64 && candidate.spec() == float32.spec()
                && candidate.weights() == float32.weights() && candidate.dataset().equals(float32.dataset())
                && candidate.batch().training() == float32.batch().training()
                && candidate.batch().description().equals(float32.batch().description());
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
                c.batch().training(), checks, TraceComparator.onlyInActual(traces.tensorflow(), traces.reference()),
                FirstDivergence.forward(checks), FirstDivergence.backward(checks),
                traces.tensorflowMillis(), traces.referenceMillis());
    }
}
