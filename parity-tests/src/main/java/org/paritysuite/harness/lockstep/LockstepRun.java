package org.paritysuite.harness.lockstep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.ShippedDatasets;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.run.TrainableRunner;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.ParityCase;
import org.paritysuite.harness.run.ParityHarness;
import org.paritysuite.harness.run.TensorCheck;
import org.paritysuite.harness.train.Minibatches;
import org.paritysuite.harness.train.NonFiniteValues;
import org.paritysuite.harness.train.ParityFailure;
import org.paritysuite.harness.train.StepTolerance;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.tf.TfModel;

/**
 * Trains both sides of one {@link RunPlan} in lockstep for whole epochs, the way
 * {@code TrajectoryHarness} trains a trajectory (same seeded weights, {@link Minibatches},
 * {@link NonFiniteValues} after every step, {@link ParityHarness#compare} with
 * {@link StepTolerance#growth}), and in addition scores both sides on the test images before the
 * first step and after every epoch ({@link EpochEvaluation}) and times every step of each side.
 *
 * <p>A step outside tolerance does not stop the run: the curves after it are what a user wants
 * to see, and the verdict names the first such step. A non-finite value does stop it (see
 * {@link NonFiniteValues}), with the steps so far kept and the verdict {@link Verdict#DIVERGED}
 * (both sides) or {@link Verdict#FAIL} (one side), so an experiment's other runs still go on. When the TensorFlow side refuses the optimizer (its first step throws
 * {@link UnsupportedOperationException}), the reference trains alone, so an experiment still
 * shows that optimizer's curve, and the result says that nothing was compared.
 */
public final class LockstepRun {

    /** Builds one side that can train. */
    @FunctionalInterface
    public interface TrainableSide {
        /** A runner for {@code spec} holding {@code weights}, computing in {@code precision}. */
        TrainableRunner build(ModelSpec spec, WeightSet weights, Precision precision);
    }

    /** What a run reports while it goes; every method is optional. */
    public interface Listener {
        /** After every step; {@code totalSteps} is the run's planned number of steps. */
        default void stepped(StepRecord step, int totalSteps) {
        }

        /** After epoch 0 (the initial weights) and after every epoch. */
        default void evaluated(EpochRecord epoch) {
        }

        /** When the TensorFlow side refused the optimizer at the first step. */
        default void refused(String reason) {
        }
    }

    private final TrainableSide tensorflow;
    private final TrainableSide reference;

    /** Lockstep training of {@code tensorflow} (the side under test) against {@code reference}. */
    public LockstepRun(TrainableSide tensorflow, TrainableSide reference) {
        this.tensorflow = tensorflow;
        this.reference = reference;
    }

    /** TensorFlow Java against the hand-written reference. */
    public static LockstepRun standard() {
        return new LockstepRun(TfModel::build, ReferenceTrainer::build);
    }

    /**
     * Trains {@code plan} to the end (or to the first non-finite value) and judges it.
     *
     * @throws FixtureException when the batch is larger than the training images
     */
    public RunResult run(RunPlan plan, Listener listener) {
        long start = System.nanoTime();
        ModelSpec spec = plan.spec();
        LabeledImages train = ShippedDatasets.load(plan.dataset(), Split.TRAIN).slice(0, plan.trainImages());
        Minibatches batches = new Minibatches(spec, train,
                plan.dataset().id() + " train[0:" + plan.trainImages() + "]", plan.batchSize());
        EpochEvaluation evaluation = new EpochEvaluation(spec,
                ShippedDatasets.load(plan.dataset(), Split.TEST).slice(0, plan.testImages()),
                plan.dataset().id() + " test");
        WeightSet initial = GlorotUniform.initialise(spec, spec.training().seed());
        int perEpoch = batches.batchesPerEpoch();
        List<EpochRecord> epochs = new ArrayList<>();
        try (TrainableRunner tf = tensorflow.build(spec, initial, plan.precision());
             TrainableRunner ref = reference.build(spec, initial, plan.precision())) {
            Pair pair = new Pair(plan, initial, tf, ref, listener);
            epochs.add(evaluate(0, 0, List.of(), Double.NaN, evaluation, pair, listener));
            for (int epoch = 1; epoch <= plan.epochs() && pair.stop == null; epoch++) {
                List<StepRecord> ofEpoch = new ArrayList<>();
                for (int i = 1; i <= perEpoch && pair.stop == null; i++) {
                    int step = (epoch - 1) * perEpoch + i;
                    pair.step(step, epoch, batches.forStep(step)).ifPresent(record -> {
                        ofEpoch.add(record);
                        listener.stepped(record, perEpoch * plan.epochs());
                    });
                }
                if (pair.stop == null) {
                    epochs.add(evaluate(epoch, epoch * perEpoch, ofEpoch, pair.maxWeightDiff, evaluation, pair,
                            listener));
                }
            }
            return RunResult.judge(plan, pair.steps, epochs, pair.refusal, pair.outsideMessage, pair.stop,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Both sides of a run and what their steps have established so far: one lockstep step at a time,
     * the way {@code TrajectoryHarness} takes them, plus the refusal, the stop and the weight
     * difference of the latest step.
     */
    private static final class Pair {
        private final RunPlan plan;
        private final WeightSet initial;
        private final TrainableRunner tf;
        private final TrainableRunner ref;
        private final Listener listener;
        private final Set<String> parameters;
        private final List<StepRecord> steps = new ArrayList<>();
        private String refusal;
        private String outsideMessage;
        private RunResult.Stop stop;
        private double maxWeightDiff = Double.NaN;

        Pair(RunPlan plan, WeightSet initial, TrainableRunner tf, TrainableRunner ref, Listener listener) {
            this.plan = plan;
            this.initial = initial;
            this.tf = tf;
            this.ref = ref;
            this.listener = listener;
            this.parameters = plan.spec().parameters().stream().map(ParameterSpec::name).collect(Collectors.toSet());
        }

        /** One step of both sides on {@code batch}; empty when a non-finite value stopped the run. */
        Optional<StepRecord> step(int step, int epoch, Batch batch) {
            Trace tfTrace = null;
            double tfMillis = Double.NaN;
            if (refusal == null) {
                long t0 = System.nanoTime();
                try {
                    tfTrace = tf.step(batch);
                    tfMillis = (System.nanoTime() - t0) / 1e6;
                } catch (UnsupportedOperationException refused) {
                    // TfModel adds the optimizer on the first step; a refusal later would be a bug there.
                    if (step != 1) {
                        throw refused;
                    }
                    refusal = refused.getMessage();
                    listener.refused(refusal);
                }
            }
            long t1 = System.nanoTime();
            Trace refTrace = ref.step(batch);
            double refMillis = (System.nanoTime() - t1) / 1e6;
            try {
                if (tfTrace != null) {
                    NonFiniteValues.check(plan.context(), step, tfTrace, refTrace);
                } else {
                    requireFinite(plan, step, refTrace);
                }
            } catch (FixtureException | ParityFailure nonFinite) {
                // Every later step would be NaN too; the steps so far are kept for the table and the plot.
                stop = new RunResult.Stop(nonFinite.getMessage(), nonFinite instanceof FixtureException);
                return Optional.empty();
            }
            StepRecord record = tfTrace == null
                    ? new StepRecord(step, epoch, Double.NaN, refTrace.loss(), Double.NaN, null, Double.NaN, refMillis)
                    : compared(step, epoch, batch, tfTrace, refTrace, tfMillis, refMillis);
            steps.add(record);
            return Optional.of(record);
        }

        private StepRecord compared(int step, int epoch, Batch batch, Trace tfTrace, Trace refTrace, double tfMillis,
                                    double refMillis) {
            List<TensorCheck> checks = ParityHarness.compare(
                    new ParityCase(plan.spec(), plan.dataset().id(), plan.precision(), initial, batch),
                    tfTrace, refTrace, null, StepTolerance.growth(step));
            Optional<TensorCheck> outside = checks.stream().filter(c -> !c.passed()).findFirst();
            if (outside.isPresent() && outsideMessage == null) {
                outsideMessage = outside.get().comparison().message();
            }
            maxWeightDiff = checks.stream()
                    .filter(c -> c.kind() == TensorKind.WEIGHT && parameters.contains(c.tensor()))
                    .mapToDouble(c -> c.comparison().maxAbsError()).max().orElse(Double.NaN);
            return new StepRecord(step, epoch, tfTrace.loss(), refTrace.loss(),
                    checks.stream().mapToDouble(c -> c.comparison().errorRatio()).max().orElse(Double.NaN),
                    outside.map(c -> c.kind().jsonName() + "/" + c.tensor()).orElse(null), tfMillis, refMillis);
        }
    }

    /** Scores both sides (TensorFlow only while it trains) and summarises the epoch's steps. */
    private static EpochRecord evaluate(int epoch, int stepsSoFar, List<StepRecord> ofEpoch, double maxWeightDiff,
                                        EpochEvaluation evaluation, Pair pair, Listener listener) {
        boolean tfTrains = pair.refusal == null;
        EpochEvaluation.Result refScore = evaluation.score(pair.ref);
        EpochEvaluation.Result tfScore = tfTrains ? evaluation.score(pair.tf) : null;
        EpochRecord record = new EpochRecord(epoch, stepsSoFar,
                mean(ofEpoch.stream().mapToDouble(StepRecord::tfLoss).toArray()),
                mean(ofEpoch.stream().mapToDouble(StepRecord::refLoss).toArray()),
                tfScore == null ? EpochRecord.Score.NONE : tfScore.score(), refScore.score(),
                tfScore == null ? Double.NaN : EpochEvaluation.disagreement(tfScore.predicted(), refScore.predicted()),
                // Epoch 0: both sides hold the very same initial weights.
                epoch == 0 ? 0.0 : tfTrains ? maxWeightDiff : Double.NaN,
                ofEpoch.stream().mapToDouble(StepRecord::toleranceUsed).max().orElse(Double.NaN),
                (int) ofEpoch.stream().filter(s -> !s.withinTolerance()).count(),
                median(ofEpoch.stream().mapToDouble(StepRecord::tfMillis).toArray()),
                median(ofEpoch.stream().mapToDouble(StepRecord::refMillis).toArray()));
        listener.evaluated(record);
        return record;
    }

    /** The reference trains alone: a non-finite value there is the training diverging, bad input. */
    private static void requireFinite(RunPlan plan, int step, Trace refTrace) {
        NonFiniteValues.find(refTrace).ifPresent(where -> {
            throw new FixtureException(plan.context() + ": training diverged at step " + step + ": the reference"
                    + " (training alone) produced a non-finite value (" + where + "); lower the learning rate");
        });
    }

    private static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The median; the first step of a run carries graph set-up, which a mean would spread over the epoch. */
    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
