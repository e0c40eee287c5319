package org.paritysuite.harness.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.harness.compare.KerasCheck;
import org.paritysuite.harness.compare.KinkCrossing;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.TraceComparator;
import org.paritysuite.harness.isolation.Isolation;
import org.paritysuite.harness.isolation.IsolationComparator;
import org.paritysuite.harness.isolation.IsolationRun;
import org.paritysuite.harness.policy.TolerancePolicy;
import org.paritysuite.harness.wiring.Sides;

/**
 * Runs {@link ParityCase}s on both sides and hands the traces to the {@link TraceComparator}
 * under each case's {@link TolerancePolicy#plan tolerance plan}: TensorFlow is the side under test
 * ("actual"), the hand-written reference the textbook ("expected"). Running and comparing stay
 * apart: {@link #trace} only runs, {@link #judge} only compares.
 *
 * <p>{@link #runAll} does the work once where it can: a model's runners are built once per
 * precision and serve all its data sets and passes ({@code forwardBackward} is a pure function of
 * the weights and the batch, by the contract), and a float32 case's float64 referee is its float64
 * twin's reference trace, the very computation a separate referee would repeat.
 */
public final class ParityHarness {

    private final Side tensorflow;
    private final Side reference;
    private final Predicate<ParityCase> isolateWhenPassing;

    /** A harness comparing the single-pass sides of {@code sides}, isolating the layers of failing cases. */
    public ParityHarness(Sides sides) {
        this(sides, false);
    }

    /**
     * A harness comparing the single-pass sides of {@code sides}. A failing case is always isolated
     * layer by layer ({@link IsolationRun}), so that its culprit is named by its own error; with
     * {@code isolateEveryCase}, every case is, at about one more pass of each side per case.
     */
    public ParityHarness(Sides sides, boolean isolateEveryCase) {
        this(sides, c -> isolateEveryCase);
    }

    /**
     * A harness comparing the single-pass sides of {@code sides}, isolating every failing case and
     * the passing cases {@code isolateWhenPassing} chooses (those an HTML page charts, say).
     */
    public ParityHarness(Sides sides, Predicate<ParityCase> isolateWhenPassing) {
        this.tensorflow = sides.tensorflow();
        this.reference = sides.reference();
        this.isolateWhenPassing = isolateWhenPassing;
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
        try (Runners runners = new Runners(c)) {
            Trace referee = c.precision() == Precision.FLOAT32
                    ? runners.reference(Precision.FLOAT64).forwardBackward(c.batch()) : null;
            return trace(c, runners, referee);
        }
    }

    private static Traces trace(ParityCase c, Runners runners, Trace referee) {
        ModelRunner tf = runners.tensorflow(c.precision());
        ModelRunner ref = runners.reference(c.precision());
        long t0 = System.nanoTime();
        Trace tfTrace = tf.forwardBackward(c.batch());
        long t1 = System.nanoTime();
        Trace refTrace = ref.forwardBackward(c.batch());
        long t2 = System.nanoTime();
        return new Traces(tfTrace, refTrace, referee, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }

    /** Runs both sides and compares every tensor; isolates the layers when the case fails or when asked. */
    public CaseResult run(ParityCase c) {
        long start = System.nanoTime();
        try (Runners runners = new Runners(c)) {
            Trace referee = c.precision() == Precision.FLOAT32
                    ? runners.reference(Precision.FLOAT64).forwardBackward(c.batch()) : null;
            CaseResult result = isolated(c, runners, judge(c, trace(c, runners, referee)));
            return result.withWallMillis(millisSince(start));
        }
    }

    /**
     * The most memory a failing case's automatic isolation may take, estimated by
     * {@link #isolationBytes}: about a seventh of the main job's native-memory bound (2.8 GB,
     * {@code ./parity}'s PARITY_JAVA_OPTS), since the other thread's cases, both sides' models and
     * their caches hold the rest. The MLPs of the zoo need tens of megabytes; ds541-cnn-a at batch
     * 64 about 0.95 GB in float64 and 0.48 GB in float32, which once made a run with many failing
     * cases end in "out of memory" instead of its report (docs/isolation.md).
     */
    static final long AUTOMATIC_ISOLATION_BYTES = 384L << 20;

    /**
     * About the memory an isolation holds: every layer's input, output, incoming gradient and input
     * gradient ({@code 4}), of two passes at once ({@code 2}), in the case's precision.
     */
    static long isolationBytes(ParityCase c) {
        long elements = 0;
        for (List<Integer> shape : c.spec().layerOutputShapes()) {
            elements += shape.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
        }
        long bytesPerElement = c.precision() == Precision.FLOAT64 ? 8 : 4;
        return elements * c.batch().size() * bytesPerElement * 4 * 2;
    }

    /**
     * {@code result} with its layers isolated, when both sides run their layers one by one and
     * either {@code isolateWhenPassing} chooses the case, or it failed and its isolation fits
     * {@link #AUTOMATIC_ISOLATION_BYTES} (a failing case too large is marked skipped, with how to
     * isolate it); otherwise {@code result} as it is.
     */
    private CaseResult isolated(ParityCase c, Runners runners, CaseResult result) {
        boolean chosen = isolateWhenPassing.test(c);
        if (result.passed() && !chosen) {
            return result;
        }
        if (!chosen && isolationBytes(c) > AUTOMATIC_ISOLATION_BYTES) {
            return result.withIsolation(Isolation.skipped(String.format(Locale.ROOT, "not isolated automatically: it"
                    + " would hold about %,d MB, more than the %,d MB a failing case may take beside the rest of"
                    + " the run; isolate it with verify --isolate and a larger"
                    + " -Dparity.maxResidentBytes in PARITY_JAVA_OPTS (docs/isolation.md)",
                    isolationBytes(c) >> 20, AUTOMATIC_ISOLATION_BYTES >> 20)));
        }
        if (c.spec().hasConvolution()) {
            // Layer-by-layer passes of a CNN hold hundreds of megabytes; free the judged traces' first.
            System.gc();
        }
        try {
            return IsolationRun.isolate(runners.tensorflow(c.precision()), runners.reference(c.precision()),
                    c.batch(), new IsolationComparator(c.spec(), c.batch().size(), c.precision()))
                    .map(result::withIsolation).orElse(result);
        } catch (OutOfMemoryError e) {
            // javacpp's bound on the process's native memory (PARITY_JAVA_OPTS), not an exhausted heap: the
            // isolation's passes are dropped here, and the case keeps its whole-model verdict and first divergence.
            System.gc();
            return result.withIsolation(Isolation.skipped("out of memory (" + e.getMessage() + "); raise"
                    + " -Dparity.maxResidentBytes in PARITY_JAVA_OPTS to isolate this case"));
        }
    }

    /**
     * Runs every case on {@code threads} threads and returns the results in case order;
     * {@code done} hears of each as it finishes. Cases of the same model (spec and weights) form
     * one job, the largest first so that the threads finish together; the convolutional models run
     * one after the other in a single job, since their im2col matrices (hundreds of megabytes in
     * float64) are what sets the run's peak memory (docs/performance.md).
     */
    public List<CaseResult> runAll(List<ParityCase> cases, int threads, Consumer<CaseResult> done) {
        Map<ModelKey, List<ParityCase>> byModel = new LinkedHashMap<>();
        for (ParityCase c : cases) {
            byModel.computeIfAbsent(new ModelKey(c), k -> new ArrayList<>()).add(c);
        }
        List<List<ParityCase>> jobs = new ArrayList<>();
        List<ParityCase> convolutional = new ArrayList<>();
        for (List<ParityCase> model : byModel.values()) {
            if (model.get(0).spec().hasConvolution()) {
                convolutional.addAll(model);
            } else {
                jobs.add(model);
            }
        }
        if (!convolutional.isEmpty()) {
            jobs.add(convolutional);
        }
        jobs.sort(Comparator.comparingDouble((List<ParityCase> job) -> -cost(job)));
        Map<ParityCase, CaseResult> results = new IdentityHashMap<>();
        Concurrently.map(jobs, threads, this::runJob, (job, ran) -> ran.forEach(r -> done.accept(r.result())))
                .forEach(ran -> ran.forEach(r -> results.put(r.parityCase(), r.result())));
        return cases.stream().map(results::get).toList();
    }

    /** A model, by identity: the spec and weights object cases were made from. */
    private record ModelKey(Object spec, Object weights) {
        ModelKey(ParityCase c) {
            this(new Identity(c.spec()), new Identity(c.weights()));
        }
    }

    /** Identity equality for a key component. */
    private record Identity(Object of) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.of == of;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(of);
        }
    }

    /** A rough cost, to start the longest jobs first: convolutions, then parameters, times cases. */
    private static double cost(List<ParityCase> job) {
        return job.stream().mapToDouble(c -> c.spec().parameterCount() + (c.spec().hasConvolution() ? 1e9 : 0)).sum();
    }

    /** A case and its result, to put results back in case order. */
    private record Ran(ParityCase parityCase, CaseResult result) {
    }

    /** Every case of one job, model by model. */
    private List<Ran> runJob(List<ParityCase> cases) {
        Map<ModelKey, List<ParityCase>> byModel = new LinkedHashMap<>();
        cases.forEach(c -> byModel.computeIfAbsent(new ModelKey(c), k -> new ArrayList<>()).add(c));
        List<Ran> ran = new ArrayList<>();
        byModel.values().forEach(model -> ran.addAll(runModel(model)));
        return ran;
    }

    /** Every case of one model, on runners built once per precision; float32 cases refereed by their twins. */
    private List<Ran> runModel(List<ParityCase> cases) {
        List<Ran> ran = new ArrayList<>();
        Map<ParityCase, Trace> float64References = new IdentityHashMap<>();
        try (Runners runners = new Runners(cases.get(0))) {
            List<ParityCase> ordered = new ArrayList<>(cases);
            ordered.sort(Comparator.comparing(c -> c.precision() == Precision.FLOAT64 ? 0 : 1));
            for (ParityCase c : ordered) {
                long start = System.nanoTime();
                Trace referee = null;
                if (c.precision() == Precision.FLOAT32) {
                    Optional<ParityCase> twin = cases.stream().filter(o -> isFloat64Twin(o, c)).findFirst();
                    referee = twin.map(float64References::get)
                            .orElseGet(() -> runners.reference(Precision.FLOAT64).forwardBackward(c.batch()));
                }
                Traces traces = trace(c, runners, referee);
                if (c.precision() == Precision.FLOAT64) {
                    float64References.put(c, traces.reference());
                }
                CaseResult judged = judge(c, traces);
                // The traces are not needed past judging: let a CNN's isolation reuse their memory.
                traces = null;
                referee = null;
                ran.add(new Ran(c, isolated(c, runners, judged).withWallMillis(millisSince(start))));
                if (c.spec().hasConvolution()) {
                    // A convolutional case leaves hundreds of megabytes of native im2col buffers owned by a
                    // handful of Java objects, too few to make the collector run: collect now, or they pile
                    // up to gigabytes (docs/performance.md, "The memory bound").
                    System.gc();
                }
            }
        }
        return ran;
    }

    private static boolean isFloat64Twin(ParityCase candidate, ParityCase float32) {
        return candidate.precision() == Precision.FLOAT64 && candidate.spec() == float32.spec()
                && candidate.weights() == float32.weights() && candidate.dataset().equals(float32.dataset())
                && candidate.batch().training() == float32.batch().training()
                && candidate.batch().description().equals(float32.batch().description());
    }

    /** Compares the traces of a case under its tolerance plan. */
    public static CaseResult judge(ParityCase c, Traces traces) {
        List<TensorCheck> checks = TraceComparator.compare(traces.tensorflow(), traces.reference(), traces.referee(),
                TolerancePolicy.plan(c.spec(), c.batch().size(), c.precision()), c.precision().toString());
        Optional<String> kink = KinkCrossing.explaining(c.spec(), traces.tensorflow(), traces.reference(), checks);
        List<TensorCheck> unexcused = checks.stream().filter(k -> !KinkCrossing.excuses(kink, k, checks)).toList();
        Optional<KerasCheck> keras = c.keras().map(p -> KerasCheck.of(traces.tensorflow(), traces.reference(), p,
                TolerancePolicy.forKeras(c.spec(), traces.reference().ofKind(TensorKind.PROBS).get(0), p)));
        return new CaseResult(c.spec().name(), c.fingerprint(), c.dataset(), c.precision(), c.batch().description(),
                c.batch().training(), checks, TraceComparator.onlyInActual(traces.tensorflow(), traces.reference()),
                FirstDivergence.forward(checks), FirstDivergence.backward(unexcused), kink, keras,
                Predictions.of(c.batch().y(), output(traces.tensorflow()), output(traces.reference())), Optional.empty(),
                traces.tensorflowMillis(), traces.referenceMillis(), Double.NaN);
    }

    /** The model's output {@code probs}, if the side traced it. */
    private static Optional<INDArray> output(Trace trace) {
        return trace.find(TensorKind.PROBS, "probs").map(t -> t.value());
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Both sides' runners of one model, built on first use per precision, all closed together. */
    private final class Runners implements AutoCloseable {
        private final ParityCase model;
        private final Map<Precision, ModelRunner> tensorflowRunners = new EnumMap<>(Precision.class);
        private final Map<Precision, ModelRunner> referenceRunners = new EnumMap<>(Precision.class);

        Runners(ParityCase model) {
            this.model = model;
        }

        ModelRunner tensorflow(Precision p) {
            return tensorflowRunners.computeIfAbsent(p, q -> tensorflow.build(model.spec(), model.weights(), q));
        }

        ModelRunner reference(Precision p) {
            return referenceRunners.computeIfAbsent(p, q -> reference.build(model.spec(), model.weights(), q));
        }

        @Override
        public void close() {
            List<ModelRunner> all = new ArrayList<>(tensorflowRunners.values());
            all.addAll(referenceRunners.values());
            RuntimeException first = null;
            for (ModelRunner r : all) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
