package org.paritysuite.harness.training;

import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.ScratchMemory;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.fixtures.run.UpdateRule;
import org.paritysuite.fixtures.run.UpdateRules;

/**
 * How far the gradients' own tolerance may move the weights and slots of an optimizer step.
 *
 * <p>A step's gradients pass when each element is within {@code tau_i = atol + rtol |g_i|} of the
 * reference's. The update rule then carries that allowed difference into the weights and slots,
 * amplified by its sensitivity {@code d(update)/dg}. For SGD the amplification is the learning
 * rate; for the adaptive rules it is {@code lr_t eps' / (|g| + eps')^2} at Adam's first step
 * ({@code eps' = eps / sqrt(1 - beta2)}), about 316 for the zoo's Adam: a gradient element at the
 * float32 noise level (1e-7 of a tensor whose largest element is 0.1) may legitimately flip the
 * sign of {@code m / (sqrt(v) + eps)} and move its weight by a sizeable share of {@code lr}. A
 * weight tolerance that ignores this fails where both sides are right; one widened for the whole
 * tensor would stop seeing real errors.
 *
 * <p>So the allowance is measured per element with the reference's own update rule: three shadow
 * update rules of the reference (through {@link UpdateRules}, whichever implementation that is) take every step from the reference's pre-step weights, with the gradients {@code g},
 * {@code g + tau} and {@code g - tau} (every element at the edge of its tolerance, both ways), and
 * element {@code i} of a weight or slot may differ by {@code max(|x+_i - x0_i|, |x-_i - x0_i|)} on
 * top of its own rounding tolerance, {@code x0} being the unperturbed shadow's result. (Measured
 * against the shadow, not against the reference's traced result, so that an error in the
 * reference's own update is never counted as allowance.) The shadows keep
 * their perturbed slots from step to step, so the allowance also holds the past steps' gradient
 * tolerances as they live on in the moments and accumulators. Every rule here is element-wise, so
 * perturbing all elements at once measures each element's own sensitivity.
 */
final class PropagatedTolerance {

    /** The words added to a tolerance's reason. */
    static final String REASON = "plus the gradient tolerance pushed through the update rule (g +/- tau, per element)";

    /** The scratch scope of one step's perturbed gradients ({@link ScratchMemory}). */
    private static final String SCRATCH = "propagated-tolerance";

    private final ModelSpec spec;
    private final UpdateRule centre;
    private final UpdateRule plus;
    private final UpdateRule minus;
    private final Map<String, INDArray> weightsBefore = new LinkedHashMap<>();

    PropagatedTolerance(ModelSpec spec, WeightSet initial, Precision precision, UpdateRules rules) {
        this.spec = spec;
        this.centre = rules.create(spec.training().optimizerSpec(), precision);
        this.plus = rules.create(spec.training().optimizerSpec(), precision);
        this.minus = rules.create(spec.training().optimizerSpec(), precision);
        for (ParameterSpec p : trainable()) {
            weightsBefore.put(p.name(), initial.get(p.name()).castTo(precision.dataType()).detach());
        }
    }

    private List<ParameterSpec> trainable() {
        return spec.parameters().stream().filter(ParameterSpec::trainable).toList();
    }

    /**
     * The allowance of every weight and slot of this step, by trace key ({@code weight/NAME}).
     *
     * @param reference          the reference's trace of the step (its gradients, then its updated weights and slots)
     * @param gradientTolerances the tolerance each gradient was checked with, by parameter name
     */
    Map<String, double[]> step(Trace reference, Map<String, Tolerance> gradientTolerances) {
        // The perturbed gradients and the shadows' new weights are temporaries of this scope (ScratchMemory).
        try (MemoryWorkspace scratch = ScratchMemory.open(SCRATCH)) {
            Map<String, INDArray> same = new LinkedHashMap<>(weightsBefore);
            Map<String, INDArray> up = new LinkedHashMap<>(weightsBefore);
            Map<String, INDArray> down = new LinkedHashMap<>(weightsBefore);
            Map<String, INDArray> g0 = new HashMap<>();
            Map<String, INDArray> gUp = new HashMap<>();
            Map<String, INDArray> gDown = new HashMap<>();
            for (ParameterSpec p : trainable()) {
                INDArray g = tensor(reference, TensorKind.GRADIENT, p.name());
                INDArray tau = tau(g, gradientTolerances.get(p.name()));
                g0.put(p.name(), g);
                gUp.put(p.name(), g.add(tau));
                gDown.put(p.name(), g.sub(tau));
            }
            centre.step(same, g0);
            plus.step(up, gUp);
            minus.step(down, gDown);
            Map<String, double[]> allowance = new LinkedHashMap<>();
            for (ParameterSpec p : trainable()) {
                allowance.put(key(p.name()), spread(same.get(p.name()), up.get(p.name()), down.get(p.name())));
                // kept for the next step, out of scratch memory, in the same arrays (no fresh memory per step)
                weightsBefore.get(p.name()).assign(tensor(reference, TensorKind.WEIGHT, p.name()));
            }
            for (Map.Entry<String, INDArray> slot : plus.slots().entrySet()) {
                allowance.put(key(slot.getKey()), spread(centre.slots().get(slot.getKey()), slot.getValue(),
                        minus.slots().get(slot.getKey())));
            }
            return allowance;
        }
    }

    private static String key(String name) {
        return TensorKind.WEIGHT.key(name);
    }

    private static INDArray tensor(Trace trace, TensorKind kind, String name) {
        return trace.require(kind, name);
    }

    /** {@code tau_i = atol + rtol |g_i|}, the largest difference the gradient check allowed. */
    private static INDArray tau(INDArray g, Tolerance t) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(g, true).muli(t.rtol()).addi(t.atol());
    }

    /** {@code max(|up - x|, |down - x|)} per element, c-order. */
    private static double[] spread(INDArray x, INDArray up, INDArray down) {
        int n = Math.toIntExact(x.length());
        double[] a = Doubles.scratch(0, x);
        double[] u = Doubles.scratch(1, up);
        double[] d = Doubles.scratch(2, down);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = Math.max(Math.abs(u[i] - a[i]), Math.abs(d[i] - a[i]));
            out[i] = Double.isFinite(s) ? s : 0;
        }
        return out;
    }
}
