package org.paritysuite.harness.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.run.TensorCheck;
import org.paritysuite.reference.ReferenceModel;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.reference.optim.Optimizer;
import org.paritysuite.reference.optim.Optimizers;
import org.paritysuite.tf.TfModel;

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
 * <p>{@link NonFiniteValues} stops the run at a NaN or infinity. A ReLU unit on different sides of
 * its kink in the judged comparison is found by {@link KinkCrossing}. Used by
 * {@link TrajectoryHarness} and by {@code parity train}.
 */
public final class Lockstep implements AutoCloseable {

    /** Builds one side that can train. */
    @FunctionalInterface
    public interface TrainableSide {
        /** A runner for {@code spec} holding {@code weights}, computing in {@code precision}. */
        TrainableRunner build(ModelSpec spec, WeightSet weights, Precision precision);
    }

    private final ModelSpec spec;
    private final WeightSet initial;
    private final String dataset;
    private final Precision precision;
    private final String context;
    private final TrainableRunner tensorflow;
    private final TrainableRunner reference;
    private final TrainableRunner referee;
    private final PropagatedTolerance propagation;
    /** TensorFlow's parameters (trainable and moving statistics) before the next step. */
    private final Map<String, INDArray> tensorflowBefore = new LinkedHashMap<>();
    /** The reference's update rule fed TensorFlow's weights and gradients. */
    private final Optimizer forcedOptimizer;
    private double tensorflowMillis = Double.NaN;
    private double referenceMillis = Double.NaN;
    private double tensorflowLoss = Double.NaN;
    private double referenceLoss = Double.NaN;

    /**
     * Both sides of {@code spec} from {@code initial}, in {@code precision}.
     *
     * @param dataset the data set's id, for reports
     */
    public Lockstep(ModelSpec spec, WeightSet initial, String dataset, Precision precision, TrainableSide tensorflow,
                    TrainableSide reference) {
        this.spec = spec;
        this.initial = initial;
        this.dataset = dataset;
        this.precision = precision;
        this.context = spec.name() + " / " + dataset + " / " + precision + " / " + spec.training().optimizer();
        this.propagation = new PropagatedTolerance(spec, initial, precision);
        this.tensorflow = tensorflow.build(spec, initial, precision);
        this.reference = reference.build(spec, initial, precision);
        this.referee = precision == Precision.FLOAT32 ? ReferenceTrainer.build(spec, initial, Precision.FLOAT64) : null;
        this.forcedOptimizer = Optimizers.create(spec.training().optimizerSpec(), precision.dataType());
        for (ParameterSpec p : spec.parameters()) {
            tensorflowBefore.put(p.name(), initial.get(p.name()).castTo(precision.dataType()));
        }
    }

    /** TensorFlow Java against the hand-written reference. */
    public static Lockstep standard(ModelSpec spec, WeightSet initial, String dataset, Precision precision) {
        return new Lockstep(spec, initial, dataset, precision, TfModel::build, ReferenceTrainer::build);
    }

    /**
     * Step {@code step} (from 1, in order) of both sides on {@code batch}, compared.
     *
     * @throws org.paritysuite.fixtures.FixtureException when both sides produce a NaN or infinity
     * @throws ParityFailure                             when one side alone does
     */
    public StepResult step(int step, Batch batch) {
        long t0 = System.nanoTime();
        Trace tf = tensorflow.step(batch);
        long t1 = System.nanoTime();
        Trace ref = reference.step(batch);
        long t2 = System.nanoTime();
        tensorflowMillis = (t1 - t0) / 1e6;
        referenceMillis = (t2 - t1) / 1e6;
        NonFiniteValues.check(context, step, tf, ref);
        tensorflowLoss = tf.loss();
        referenceLoss = ref.loss();
        Trace forced = forcedStep(batch, tf);
        Trace truth = referee == null ? null : referee.step(batch);
        ParityCase c = new ParityCase(spec, dataset, precision, initial, batch);
        List<TensorCheck> checks = ParityHarness.compare(c, tf, forced, null);
        List<TensorCheck> drift = ParityHarness.compare(c, tf, ref, truth, StepTolerance.growth(step),
                new Propagating(ref));
        return new StepResult(step, batch.description(), checks, drift, KinkCrossing.find(spec, tf, forced, checks));
    }

    /**
     * The reference's step from TensorFlow's state: its forward and backward pass at TensorFlow's
     * parameters before the step, then its update rule on TensorFlow's weights with TensorFlow's
     * gradient; traced like a {@link TrainableRunner#step}. Advances TensorFlow's state to the
     * values TensorFlow reports after the step.
     */
    private Trace forcedStep(Batch batch, Trace tf) {
        Trace pass;
        try (ReferenceModel model = ReferenceModel.build(spec, WeightSet.of(tensorflowBefore), precision)) {
            pass = model.forwardBackward(batch);
        }
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters()) {
            if (p.trainable()) {
                weights.put(p.name(), tensorflowBefore.get(p.name()));
                gradients.put(p.name(), tf.find(TensorKind.GRADIENT.jsonName() + "/" + p.name()).orElseThrow().value());
            }
        }
        forcedOptimizer.step(weights, gradients);
        Trace.Builder trace = Trace.builder();
        pass.tensors().forEach(t -> trace.add(t.name(), t.kind(), t.value()));
        weights.forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        forcedOptimizer.slots().forEach((name, value) -> trace.add(name, TensorKind.WEIGHT, value.dup()));
        for (ParameterSpec p : spec.parameters()) {
            tf.find(TensorKind.WEIGHT.jsonName() + "/" + p.name())
                    .ifPresent(t -> tensorflowBefore.put(p.name(), t.value()));
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

    /** Wall time of TensorFlow's last step, ms. */
    public double tensorflowMillis() {
        return tensorflowMillis;
    }

    /** Wall time of the reference's last step, ms. */
    public double referenceMillis() {
        return referenceMillis;
    }

    /** TensorFlow's training loss of the last step (on its batch, before the update). */
    public double tensorflowLoss() {
        return tensorflowLoss;
    }

    /** The reference's training loss of the last step. */
    public double referenceLoss() {
        return referenceLoss;
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
     * The tolerance adjustment of one step: the gradients' tolerances are collected as the
     * policy sets them (gradients come before weights in a trace); at the first updated weight,
     * {@link PropagatedTolerance} pushes them through the update rule, and every weight and slot
     * gets its per-element allowance.
     */
    private final class Propagating implements ParityHarness.ToleranceAdjustment {
        private final Trace referenceTrace;
        private final Map<String, Tolerance> gradients = new HashMap<>();
        private Map<String, double[]> allowances;

        Propagating(Trace referenceTrace) {
            this.referenceTrace = referenceTrace;
        }

        @Override
        public Tolerance adjust(org.paritysuite.fixtures.run.NamedTensor tensor, Tolerance tolerance) {
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
