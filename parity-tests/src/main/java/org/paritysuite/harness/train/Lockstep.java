package org.paritysuite.harness.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.Tolerance;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.run.TensorCheck;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.tf.TfModel;

/**
 * Both sides of a training run, stepped together one minibatch at a time: TensorFlow with
 * tensorflow-framework's optimizer, the reference with its hand-written update rule, from the same
 * weights, compared after every step (the loss, the gradients applied, the weights after the
 * update, the optimizer's slots).
 *
 * <p>What a step does, in order: both sides step; {@link NonFiniteValues} stops the run at a NaN
 * or infinity; a float32 run also steps a float64 reference, the referee of
 * {@link StepResult#accepted}; every tensor is compared under the single-pass policy times
 * {@link StepTolerance#growth}, weights and slots plus their {@link PropagatedTolerance}; and a
 * ReLU unit on different sides of its kink is looked for ({@link KinkCrossing}). Used by
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
        Trace truth = referee == null ? null : referee.step(batch);
        ParityCase c = new ParityCase(spec, dataset, precision, initial, batch);
        List<TensorCheck> checks = ParityHarness.compare(c, tf, ref, truth, StepTolerance.growth(step),
                new Propagating(ref));
        return new StepResult(step, batch.description(), checks, KinkCrossing.find(spec, tf, ref, checks));
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
