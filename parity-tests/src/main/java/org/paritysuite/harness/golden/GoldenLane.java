package org.paritysuite.harness.golden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.Side;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.harness.baseline.Growth;
import org.paritysuite.harness.baseline.GrowthRule;
import org.paritysuite.harness.compare.TensorComparator;
import org.paritysuite.harness.compare.TensorComparison;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.compare.TolerancePlan;
import org.paritysuite.harness.policy.TolerancePolicy;
import org.paritysuite.harness.run.ParityCase;

/**
 * The two checks a golden bundle serves. {@link #verify}: the reference against TensorFlow's
 * recorded tensors, with no TensorFlow in the process, under the very tolerances of the full
 * harness. {@link #regenerate}: TensorFlow run again against its own recorded tensors, under the
 * error baseline's growth rule ({@link GrowthRule}), to see that the goldens still hold.
 */
public final class GoldenLane {

    private GoldenLane() {
    }

    /** A bundle's outcome in the TensorFlow-free lane: one check per tensor the reference traced. */
    public record Verified(Path file, String caseId, List<GoldenCheck> checks) {

        public Verified {
            checks = List.copyOf(checks);
        }

        /** Whether every tensor is within its tolerance. */
        public boolean passed() {
            return checks.stream().allMatch(GoldenCheck::passed);
        }
    }

    /** A bundle's outcome when regenerated: one growth per recorded TensorFlow tensor. */
    public record Regenerated(Path file, String caseId, List<Growth> growths) {

        public Regenerated {
            growths = List.copyOf(growths);
        }

        /** Whether no gated tensor moved beyond the growth rule. */
        public boolean passed() {
            return growths.stream().allMatch(Growth::passed);
        }
    }

    /**
     * Runs {@code reference} on the case of {@code bundle} (already {@link Goldens#rebuild rebuilt}
     * as {@code c}) and compares every tensor it traces with TensorFlow's recorded one: the stored
     * subset element by element, and the full tensors' {@code max|x|}, each under the tolerance
     * {@link TolerancePolicy} gives the full tensor. A tensor the bundle lacks fails its check.
     */
    public static Verified verify(GoldenBundle bundle, ParityCase c, Side reference, Path file) {
        Trace trace = run(reference, c);
        TolerancePlan plan = TolerancePolicy.plan(c.spec(), c.batch().size(), c.precision());
        List<GoldenCheck> checks = new ArrayList<>();
        for (NamedTensor expected : trace.tensors()) {
            Tolerance tolerance = plan.forTensor(expected);
            GoldenBundle.Stored recorded = bundle.arrays().get(GoldenBundle.TENSORFLOW + expected.key());
            INDArray full = expected.value();
            String context = ", " + c.precision();
            if (recorded == null || !Arrays.equals(recorded.shape(), full.shape())) {
                String problem = recorded == null
                        ? "The bundle holds no TensorFlow tensor " + GoldenBundle.TENSORFLOW + expected.key()
                        : "Shapes differ: recorded " + Arrays.toString(recorded.shape()) + ", reference "
                        + Arrays.toString(full.shape());
                TensorComparison failed = TensorComparison.failed(expected.key() + context, full.shape(), 0,
                        tolerance, problem);
                checks.add(new GoldenCheck(expected.key(), failed, failed));
                continue;
            }
            int k = recorded.stride();
            String every = k == 1 ? "" : " (flat elements 0, " + k + ", " + 2 * k + ", ...)";
            checks.add(new GoldenCheck(expected.key(),
                    TensorComparator.compare(expected.key() + every + context, recorded.kept(),
                            StridedSubset.of(full), tolerance),
                    TensorComparator.compare(expected.key() + " max|x|" + context, Nd4j.scalar(recorded.maxAbs()),
                            Nd4j.scalar(StridedSubset.maxAbs(full)), tolerance)));
        }
        return new Verified(file, bundle.caseId(), checks);
    }

    /**
     * Runs {@code tensorflow} on the case of {@code bundle} (rebuilt as {@code c}) and measures how far
     * each recorded tensor moved: {@code max|now - recorded|} over the stored subset and over the
     * full tensors' {@code max|x|}, over the recorded {@code max|x|}. That movement is judged as an
     * error against its baseline, the tensor's recorded error against the reference: TensorFlow may
     * move by up to what the growth rule lets that error grow, and a tensor the rule only reports
     * (float32 gradients) is reported. A tensor TensorFlow no longer traces counts as unmeasured.
     */
    public static Regenerated regenerate(GoldenBundle bundle, ParityCase c, Side tensorflow, Path file) {
        Trace trace = run(tensorflow, c);
        List<Growth> growths = new ArrayList<>();
        bundle.arrays().forEach((key, recorded) -> {
            if (!key.startsWith(GoldenBundle.TENSORFLOW)) {
                return;
            }
            String traceKey = key.substring(GoldenBundle.TENSORFLOW.length());
            Optional<NamedTensor> now = trace.find(traceKey);
            double moved = now.map(t -> movement(recorded, t.value())).orElse(Double.NaN);
            growths.add(new Growth(bundle.caseId(), traceKey, c.precision(), recorded.error(), moved,
                    GrowthRule.gates(kindOf(traceKey), c.precision())));
        });
        return new Regenerated(file, bundle.caseId(), growths);
    }

    /** How far {@code now} is from {@code recorded}, over the recorded tensor's scale; infinite for another shape. */
    static double movement(GoldenBundle.Stored recorded, INDArray now) {
        if (!Arrays.equals(recorded.shape(), now.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double[] was = Doubles.of(recorded.kept());
        double[] is = Doubles.of(StridedSubset.of(now));
        double greatest = Math.abs(StridedSubset.maxAbs(now) - recorded.maxAbs());
        for (int i = 0; i < was.length; i++) {
            greatest = Math.max(greatest, Math.abs(is[i] - was[i]));
        }
        if (greatest == 0) {
            return 0;
        }
        return recorded.maxAbs() == 0 ? Double.POSITIVE_INFINITY : greatest / recorded.maxAbs();
    }

    /** The kind of a trace key; {@link GoldenBundle#read} refuses a bundle with a key of no kind. */
    private static TensorKind kindOf(String traceKey) {
        return GoldenBundle.kindOf(traceKey).orElseThrow(() -> new IllegalStateException("no kind: " + traceKey));
    }

    private static Trace run(Side side, ParityCase c) {
        try (ModelRunner runner = side.build(c.spec(), c.weights(), c.precision())) {
            return runner.forwardBackward(c.batch());
        }
    }
}
