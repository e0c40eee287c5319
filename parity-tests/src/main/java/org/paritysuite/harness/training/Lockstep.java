package org.paritysuite.harness.training;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.harness.compare.KinkCrossing;
import org.paritysuite.fixtures.Precision;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.NamedTensor;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.run.UpdateRule;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.compare.TolerancePlan;
import org.paritysuite.harness.compare.TraceComparator;
import org.paritysuite.harness.policy.TolerancePolicy;
import org.paritysuite.harness.wiring.Sides;

/**
 * Both sides of a training run, stepped together one minibatch at a time: TensorFlow with
 * tensorflow-framework's optimizer, the reference with its hand-written update rule, from the same
 * weights, compared after every step (the loss, the gradients applied, the weights after the
 * update, the optimizer's slots), twice:
 *
 * <ul>
 *   <li><b>judged, from TensorFlow's own state</b>: the reference's forward and backward pass at
 *       TensorFlow's weights and moving statistics before the step, and the reference's update
 *       rule applied to TensorFlow's weights with TensorFlow's gradient (a reference optimizer fed
 *       TensorFlow's gradients every step, so its slots hold TensorFlow's gradient history). Each
 *       step is then a single-pass comparison at identical inputs, judged by the single-pass
 *       policy, at step 100 as at step 1: rounding differences that training amplifies (two
 *       trajectories of a deep network part exponentially, float32 or float64) cannot fail it,
 *       while a wrong forward, backward or update on the TensorFlow side fails the step it happens
 *       in (Nadam's frozen schedule at step 2, Adam's beta-power race at step 1).</li>
 *   <li><b>reported, free-running</b>: TensorFlow against a reference that trained on its own from
 *       the same weights, under {@link StepTolerance#growth} and {@link PropagatedTolerance}, with
 *       a float64 reference trajectory as referee in float32: how far and from which step the two
 *       trajectories part, and which side is further from float64.</li>
 * </ul>
 *
 * <p>Both sides and the reference's update rule come through {@link Sides}; nothing here knows
 * which implementation is which. {@link NonFiniteValues} stops the run at a NaN or infinity. A ReLU unit on different sides of
 * its kink in the judged comparison is found by {@link KinkCrossing}. Used by
 * {@link TrajectoryHarness} and by {@code parity train}.
 */
public final class Lockstep implements AutoCloseable {

    private final Sides sides;
    private final ModelSpec spec;
    private final Precision precision;
    private final String context;
    private final TrainableRunner tensorflow;
    private final TrainableRunner reference;
    private final TrainableRunner referee;
    private final PropagatedTolerance propagation;
    /** TensorFlow's parameters (trainable and moving statistics) before the next step. */
    private final Map<String, INDArray> tensorflowBefore = new LinkedHashMap<>();
    /** The reference's update rule fed TensorFlow's weights and gradients. */
    private final UpdateRule forcedRule;

    /**
     * Both sides of {@code spec} from {@code initial}, in {@code precision}.
     *
     * @param dataset the data set's id, for messages
     */
    public Lockstep(Sides sides, ModelSpec spec, WeightSet initial, String dataset, Precision precision) {
        this(sides, spec, initial, dataset, precision, precision == Precision.FLOAT32);
    }

    /**
     * As the public constructor; {@code ownReferee} false leaves a float32 run's float64 referee to
     * the caller ({@link #step(int, Batch, Trace)}), who has it from a float64 twin run.
     */
    Lockstep(Sides sides, ModelSpec spec, WeightSet initial, String dataset, Precision precision, boolean ownReferee) {
        this.sides = sides;
        this.spec = spec;
        this.precision = precision;
        this.context = spec.name() + " / " + dataset + " / " + precision + " / " + spec.training().optimizer();
        this.propagation = new PropagatedTolerance(spec, initial, precision, sides.referenceRules());
        this.forcedRule = sides.referenceRules().create(spec.training().optimizerSpec(), precision);
        for (ParameterSpec p : spec.parameters()) {
            tensorflowBefore.put(p.name(), initial.get(p.name()).castTo(precision.dataType()).detach());
        }
        TrainableRunner tf = sides.tensorflowTrainer().build(spec, initial, precision);
        TrainableRunner ref = null;
        try {
            ref = sides.referenceTrainer().build(spec, initial, precision);
            this.referee = ownReferee ? sides.referenceTrainer().build(spec, initial, Precision.FLOAT64) : null;
        } catch (RuntimeException e) {
            try (TrainableRunner a = tf; TrainableRunner b = ref) {
                throw e;
            }
        }
        this.tensorflow = tf;
        this.reference = ref;
    }

    /**
     * Step {@code step} (from 1, in order) of both sides on {@code batch}, compared.
     *
     * @throws org.paritysuite.fixtures.FixtureException when both sides produce a NaN or infinity
     * @throws ParityFailure                             when one side alone does
     */
    public StepResult step(int step, Batch batch) {
        return step(step, batch, null).result();
    }

    /** A step's result and the free-running reference's trace of it (the referee of a float32 twin). */
    record Stepped(StepResult result, Trace reference) {
    }

    /**
     * As {@link #step(int, Batch)}, with the float64 referee's trace of this step given, when this
     * run has no referee of its own.
     */
    Stepped step(int step, Batch batch, Trace givenTruth) {
        long t0 = System.nanoTime();
        Trace tf = tensorflow.step(batch);
        long t1 = System.nanoTime();
        Trace ref = reference.step(batch);
        long t2 = System.nanoTime();
        NonFiniteValues.check(context, step, tf, ref);
        Trace forced = forcedStep(batch, tf);
        Trace truth = referee == null ? givenTruth : referee.step(batch);
        String label = precision.toString();
        TolerancePlan plan = TolerancePolicy.plan(spec, batch.size(), precision);
        List<TensorCheck> checks = TraceComparator.compare(tf, forced, null, plan, label);
        List<TensorCheck> drift = TraceComparator.compare(tf, ref, truth,
                new Propagating(ref, plan.scaled(StepTolerance.growth(step))), label);
        return new Stepped(new StepResult(step, batch.description(), tf.loss(), ref.loss(), (t1 - t0) / 1e6,
                (t2 - t1) / 1e6, checks, drift, TraceComparator.onlyInActual(tf, forced),
                KinkCrossing.find(spec, tf, forced, checks)), ref);
    }

    /**
     * The reference's step from TensorFlow's state: its forward and backward pass at TensorFlow's
     * parameters before the step, then its update rule on TensorFlow's weights with TensorFlow's
     * gradient; traced like a {@link TrainableRunner#step}. Advances TensorFlow's state to the
     * values TensorFlow reports after the step.
     */
    private Trace forcedStep(Batch batch, Trace tf) {
        Trace pass;
        try (ModelRunner model = sides.reference().build(spec, WeightSet.of(tensorflowBefore), precision)) {
            pass = model.forwardBackward(batch);
        }
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                weights.put(p.name(), tensorflowBefore.get(p.name()));
                gradients.put(p.name(), tf.require(TensorKind.GRADIENT, p.name()));
            }
        }
        forcedRule.step(weights, gradients);
        Trace.Builder trace = Trace.builder();
        pass.tensors().forEach(t -> trace.add(t.name(), t.kind(), t.value()));
        weights.forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        forcedRule.slots().forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        for (ParameterSpec p : spec.parameters()) {
            // kept for the next step, out of the step's scratch memory (ScratchMemory), in the same arrays: a new
            // array per step would be fresh memory, zero-filled page by page (docs/performance.md)
            tf.find(TensorKind.WEIGHT, p.name()).ifPresent(t -> tensorflowBefore.get(p.name()).assign(t.value()));
        }
        return trace.build();
    }

    /** The TensorFlow side, at the weights of the last step. */
    public TrainableRunner tensorflow() {
        return tensorflow;
    }

    /** The reference side, at the weights of the last step. */
    public TrainableRunner reference() {
        return reference;
    }

    /** A description of the run for messages: model, data set, precision, optimizer. */
    public String context() {
        return context;
    }

    @Override
    public void close() {
        try (TrainableRunner a = tensorflow; TrainableRunner b = reference; TrainableRunner c = referee) {
            // closes all three, even when one throws
        }
    }

    /**
     * The drift plan of one step: the gradients' tolerances are collected as the plan gives them
     * (gradients come before weights in a trace); at the first updated weight,
     * {@link PropagatedTolerance} pushes them through the update rule, and every weight and slot
     * gets its per-element allowance on top.
     */
    private final class Propagating implements TolerancePlan {
        private final Trace referenceTrace;
        private final TolerancePlan base;
        private final Map<String, Tolerance> gradients = new HashMap<>();
        private Map<String, double[]> allowances;

        Propagating(Trace referenceTrace, TolerancePlan base) {
            this.referenceTrace = referenceTrace;
            this.base = base;
        }

        @Override
        public Tolerance forTensor(NamedTensor tensor) {
            Tolerance tolerance = base.forTensor(tensor);
            if (tensor.kind() == TensorKind.GRADIENT) {
                gradients.put(tensor.name(), tolerance);
                return tolerance;
            }
            if (tensor.kind() != TensorKind.WEIGHT) {
                return tolerance;
            }
            if (allowances == null) {
                allowances = propagation.step(referenceTrace, gradients);
            }
            double[] allowance = allowances.get(tensor.key());
            return allowance == null ? tolerance : tolerance.plusPropagated(allowance, PropagatedTolerance.REASON);
        }
    }
}
