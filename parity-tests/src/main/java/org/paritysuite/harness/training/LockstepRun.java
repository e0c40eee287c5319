package org.paritysuite.harness.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ParameterSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.compare.TensorCheck;
import org.paritysuite.harness.run.Predictions;
import org.paritysuite.harness.wiring.Sides;

/**
 * Trains both sides of one {@link RunPlan} in lockstep for whole epochs, one {@link Lockstep}
 * step at a time on {@link Minibatches}, exactly as a {@code parity verify} trajectory steps, and
 * in addition scores both sides on the test images before the first step and after every epoch
 * ({@link EpochEvaluation}) and times every step of each side.
 *
 * <p>A step outside tolerance does not stop the run: the curves after it are what a user wants
 * to see, and the verdict names the first such step. A non-finite value does stop it (see
 * {@link NonFiniteValues}), with the steps so far kept and the verdict {@link Verdict#DIVERGED}
 * (both sides) or {@link Verdict#FAIL} (one side), so an experiment's other runs still go on.
 */
public final class LockstepRun {

    /** What a run reports while it goes; every method is optional. */
    public interface Listener {
        /** After every step; {@code totalSteps} is the run's planned number of steps. */
        default void stepped(StepRecord step, int totalSteps) {
        }

        /** After epoch 0 (the initial weights) and after every epoch. */
        default void evaluated(EpochRecord epoch) {
        }
    }

    private final Sides sides;

    /** Lockstep training of the side under test of {@code sides} against its reference. */
    public LockstepRun(Sides sides) {
        this.sides = sides;
    }

    /**
     * Trains {@code plan} to the end (or to the first non-finite value) and judges it.
     *
     * @throws FixtureException when the batch is larger than the training images
     */
    public RunResult run(RunPlan plan, Listener listener) {
        long start = System.nanoTime();
        ModelSpec spec = plan.spec();
        Minibatches batches = plan.inputs().isPresent()
                ? new Minibatches(spec, plan.inputs().get(), plan.trainImages(), plan.batchSize())
                : new Minibatches(spec, plan.images().load(plan.dataset(), Split.TRAIN).slice(0, plan.trainImages()),
                        plan.trainingSource(), plan.batchSize());
        EpochEvaluation evaluation = plan.testInputs().isPresent()
                ? new EpochEvaluation(plan.testInputs().get(), plan.testImages())
                : new EpochEvaluation(spec, plan.images().load(plan.dataset(), Split.TEST).slice(0, plan.testImages()),
                        plan.images().name(plan.dataset(), Split.TEST));
        WeightSet initial = plan.weights().orElseGet(() -> GlorotUniform.initialise(spec, spec.training().seed()));
        int perEpoch = batches.batchesPerEpoch();
        List<EpochRecord> epochs = new ArrayList<>();
        try (Lockstep lockstep = new Lockstep(sides, spec, initial, plan.dataset().id(), plan.precision())) {
            Pair pair = new Pair(plan, lockstep);
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
            return RunResult.judge(plan, pair.steps, epochs, pair.predictions, pair.outsideMessage, pair.stop,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * The lockstep pair of a run and what its steps have established so far: the stop, the first
     * message outside tolerance, the latest weight difference of the free-running trajectories and
     * the latest evaluation's predictions.
     */
    private static final class Pair {
        private final RunPlan plan;
        private final Lockstep lockstep;
        private final Set<String> parameters;
        private final List<StepRecord> steps = new ArrayList<>();
        private String outsideMessage;
        private RunResult.Stop stop;
        private double maxWeightDiff = Double.NaN;
        private Predictions predictions;

        Pair(RunPlan plan, Lockstep lockstep) {
            this.plan = plan;
            this.lockstep = lockstep;
            this.parameters = plan.spec().parameters().stream().map(ParameterSpec::name).collect(Collectors.toSet());
        }

        /** One step of both sides on {@code batch}; empty when a non-finite value stopped the run. */
        Optional<StepRecord> step(int step, int epoch, Batch batch) {
            StepResult result;
            try {
                result = lockstep.step(step, batch);
            } catch (FixtureException | ParityFailure nonFinite) {
                // Every later step would be NaN too; the steps so far are kept for the table and the plot.
                stop = new RunResult.Stop(nonFinite.getMessage(), nonFinite instanceof FixtureException);
                return Optional.empty();
            }
            maxWeightDiff = result.drift().stream()
                    .filter(c -> c.kind() == TensorKind.WEIGHT && parameters.contains(c.tensor()))
                    .mapToDouble(c -> c.comparison().maxAbsError()).max().orElse(Double.NaN);
            Optional<TensorCheck> outside = result.firstOutside();
            if (outside.isPresent() && outsideMessage == null) {
                outsideMessage = outside.get().comparison().message();
            }
            StepRecord record = new StepRecord(step, epoch, result.tensorflowLoss(), result.referenceLoss(),
                    result.toleranceUsed(), outside.map(TensorCheck::key).orElse(null), !result.withinDrift(),
                    result.kinkExcused() ? result.kinkCrossing().orElseThrow() : null,
                    result.tensorflowMillis(), result.referenceMillis());
            steps.add(record);
            return Optional.of(record);
        }
    }

    /** Scores both sides (TensorFlow only while it trains) and summarises the epoch's steps. */
    private static EpochRecord evaluate(int epoch, int stepsSoFar, List<StepRecord> ofEpoch, double maxWeightDiff,
                                        EpochEvaluation evaluation, Pair pair, Listener listener) {
        EpochEvaluation.Result refScore = evaluation.score(pair.lockstep.reference());
        EpochEvaluation.Result tfScore = evaluation.score(pair.lockstep.tensorflow());
        pair.predictions = new Predictions(evaluation.labels(), tfScore.predicted(), refScore.predicted());
        EpochRecord record = new EpochRecord(epoch, stepsSoFar,
                mean(ofEpoch.stream().mapToDouble(StepRecord::tfLoss).toArray()),
                mean(ofEpoch.stream().mapToDouble(StepRecord::refLoss).toArray()),
                tfScore.score(), refScore.score(),
                EpochEvaluation.disagreement(tfScore.predicted(), refScore.predicted()),
                // Epoch 0: both sides hold the very same initial weights.
                epoch == 0 ? 0.0 : maxWeightDiff,
                ofEpoch.stream().mapToDouble(StepRecord::toleranceUsed).filter(d -> !Double.isNaN(d)).max()
                        .orElse(Double.NaN),
                (int) ofEpoch.stream().filter(s -> !s.withinTolerance()).count(),
                median(ofEpoch.stream().mapToDouble(StepRecord::tfMillis).toArray()),
                median(ofEpoch.stream().mapToDouble(StepRecord::refMillis).toArray()));
        listener.evaluated(record);
        return record;
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
