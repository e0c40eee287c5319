package org.paritysuite.harness.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.harness.run.TensorCheck;

/**
 * One short training trajectory of {@code parity verify}: a model trained with the optimizer of
 * its training block on both sides in lockstep, and its outcome, judged against the known
 * TensorFlow-side defects.
 *
 * @param spec      the model, its {@code training} block naming the optimizer, batch size and seed
 * @param dataset   the data set whose shipped training subset it trains on
 * @param precision both sides' precision
 * @param steps     the number of steps
 */
public record TrajectoryCase(ModelSpec spec, Dataset dataset, Precision precision, int steps) {

    /** The verdict of a trajectory within tolerance at every step. */
    public static final String PASS = "PASS";
    /** The verdict of a trajectory that left its tolerance. */
    public static final String FAIL = "FAIL";
    /** The verdict of a trajectory that parts from the reference as a known defect says it does. */
    public static final String KNOWN = "KNOWN DEFECT";
    /** The verdict of a trajectory whose known defect no longer shows. */
    public static final String FIXED = "FIXED?";

    /**
     * Every optimizer type (rmsprop also centred with momentum), each with a learning rate that
     * moves an MLP within a few steps: what {@code parity verify} trains ist597-mlp with.
     */
    public static List<TrajectoryCase> everyOptimizer(ModelSpec model, Dataset dataset, List<Precision> precisions,
                                                      int steps) {
        List<Map.Entry<String, Map<String, Double>>> optimizers = List.of(
                Map.entry("sgd", Map.of("learning_rate", 0.1)),
                Map.entry("momentum", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                Map.entry("nesterov", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9)),
                Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9, "momentum", 0.5, "centered", 1.0)),
                Map.entry("adagrad", Map.of("learning_rate", 0.05)),
                Map.entry("adam", Map.of("learning_rate", 0.001)),
                Map.entry("nadam", Map.of("learning_rate", 0.001)));
        return optimizers.stream()
                .flatMap(o -> precisions.stream().map(p -> new TrajectoryCase(withOptimizer(model, o.getKey(),
                        o.getValue()), dataset, p, steps)))
                .toList();
    }

    /** Each model with its own training block, on its first data set. */
    public static List<TrajectoryCase> ownTraining(List<ModelSpec> models, List<Precision> precisions, int steps) {
        return models.stream()
                .flatMap(m -> precisions.stream().map(p -> new TrajectoryCase(m,
                        Dataset.fromId(m.data().datasets().get(0)), p, steps)))
                .toList();
    }

    /** {@code spec} with another optimizer; seed and batch size kept. */
    public static ModelSpec withOptimizer(ModelSpec spec, String type, Map<String, Double> hyperparameters) {
        return new ModelSpec(spec.name(), spec.description(), spec.inputShape(), spec.classes(), spec.layers(),
                spec.loss(), spec.data(), new TrainingSpec(spec.training().seed(), spec.training().batchSize(), type,
                        hyperparameters));
    }

    /** The optimizer and its non-default hyperparameters, e.g. {@code rmsprop{centered=1.0, ...}}. */
    public String optimizerLabel() {
        TrainingSpec t = spec.training();
        return t.optimizer() + (t.hyperparameters().size() > 1 ? new java.util.TreeMap<>(t.hyperparameters()).toString()
                .replace("learning_rate", "lr").replace(" ", "") : "");
    }

    /** {@code ist597-mlp / fashion-mnist / adam / float64 / 100 steps}, for test names and progress lines. */
    @Override
    public String toString() {
        return spec.name() + " / " + dataset.id() + " / " + optimizerLabel() + " / " + precision + " / " + steps
                + " steps";
    }

    /**
     * The outcome of running a trajectory.
     *
     * @param worstUsed       the greatest share of its tolerance any judged check used
     * @param kinkSteps       steps whose gradients a ReLU kink crossing excused ({@link StepResult#excusedByKink})
     * @param driftFrom       the first step at which the free-running trajectories left the trajectory
     *                        tolerance of each other, if they did (reported, not judged)
     * @param finalDivergence after the last step, the greatest {@code max|w_tf - w_ref| / max|w_ref|}
     *                        of the free-running trajectories over the trainable weights
     */
    public record Outcome(TrajectoryCase trajectory, String verdict, boolean passed, Optional<Integer> firstFailingStep,
                          double worstUsed, long kinkSteps, Optional<Integer> driftFrom, double finalDivergence,
                          String detail) {
    }

    /** Runs the trajectory and judges it, known defects included. */
    public Outcome run() {
        Optional<KnownDefect> diverging = KnownDefect.of(spec.training().optimizer())
                .filter(d -> d.handling() == KnownDefect.Handling.DIVERGES);
        List<StepResult> results = TrajectoryHarness.run(spec, GlorotUniform.initialise(spec, spec.training().seed()),
                dataset, precision, steps);
        Optional<StepResult> firstFailing = results.stream().filter(r -> !r.passed()).findFirst();
        double worst = results.stream().flatMap(r -> r.checks().stream()).filter(TensorCheck::passed)
                .mapToDouble(c -> c.comparison().errorRatio()).max().orElse(Double.NaN);
        long kinks = results.stream().filter(StepResult::kinkExcused).count();
        Optional<Integer> driftFrom = results.stream().filter(r -> !r.withinDrift()).map(StepResult::step).findFirst();
        double divergence = results.get(results.size() - 1).weightDivergence(spec);
        Optional<Integer> failingStep = firstFailing.map(StepResult::step);
        if (diverging.isPresent()) {
            boolean reproduced = firstFailing.isPresent();
            return new Outcome(this, reproduced ? KNOWN : FIXED, reproduced, failingStep, worst, kinks, driftFrom,
                    divergence, reproduced ? diverging.get().reason()
                            : "the known defect no longer reproduces; check and remove it: " + diverging.get().reason());
        }
        String detail = firstFailing.map(r -> r.checks().stream().filter(c -> !c.passed() && !r.excusedByKink(c))
                .findFirst().map(c -> "step " + r.step() + ": " + c.comparison().message()).orElse("")).orElse("");
        return new Outcome(this, firstFailing.isEmpty() ? PASS : FAIL, firstFailing.isEmpty(), failingStep, worst,
                kinks, driftFrom, divergence, detail);
    }
}
