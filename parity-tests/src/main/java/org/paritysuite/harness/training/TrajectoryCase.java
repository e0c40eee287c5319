package org.paritysuite.harness.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.harness.run.Concurrently;
import org.paritysuite.harness.run.Fingerprint;
import org.paritysuite.harness.wiring.Sides;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.fixtures.weights.GlorotUniform;

/**
 * One short training trajectory of {@code parity verify}: a model trained with the optimizer of
 * its training block on both sides in lockstep, and its outcome, judged against the known
 * TensorFlow-side defects.
 *
 * @param spec      the model, its {@code training} block naming the optimizer, batch size and seed
 * @param dataset   the data set whose training split it trains on
 * @param precision both sides' precision
 * @param steps     the number of steps
 * @param images    where the training images come from ({@code verify --data})
 */
public record TrajectoryCase(ModelSpec spec, Dataset dataset, Precision precision, int steps, ImageSource images) {

    /** A trajectory on the shipped training subset. */
    public TrajectoryCase(ModelSpec spec, Dataset dataset, Precision precision, int steps) {
        this(spec, dataset, precision, steps, ImageSource.SHIPPED);
    }

    /**
     * This trajectory, trained on the images of {@code source} instead; reads its training split now,
     * so that a missing or corrupt file is refused before any work.
     */
    public TrajectoryCase readingFrom(ImageSource source) {
        source.load(dataset, Split.TRAIN);
        return new TrajectoryCase(spec, dataset, precision, steps, source);
    }

    /**
     * Every optimizer type (rmsprop also centred with momentum), each with a learning rate that
     * moves an MLP within a few steps, and each adaptive one also in {@link #EPSILON_SENSITIVE}
     * settings: what {@code parity verify} trains ist597-mlp with.
     */
    public static List<TrajectoryCase> everyOptimizer(ModelSpec model, Dataset dataset, List<Precision> precisions,
                                                      int steps) {
        List<Map.Entry<String, Map<String, Double>>> optimizers = new ArrayList<>(List.of(
                Map.entry("sgd", Map.of("learning_rate", 0.1)),
                Map.entry("momentum", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                Map.entry("nesterov", Map.of("learning_rate", 0.05, "momentum", 0.9)),
                Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9)),
                Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.9, "momentum", 0.5, "centered", 1.0)),
                Map.entry("adagrad", Map.of("learning_rate", 0.05)),
                Map.entry("adam", Map.of("learning_rate", 0.001)),
                Map.entry("nadam", Map.of("learning_rate", 0.001))));
        optimizers.addAll(EPSILON_SENSITIVE);
        return optimizers.stream()
                .flatMap(o -> precisions.stream().map(p -> new TrajectoryCase(RunPlan.retrained(model,
                        model.training().batchSize(), o.getKey(), o.getValue()), dataset, p, steps)))
                .toList();
    }

    /**
     * The adaptive optimizers in settings where epsilon and the slots' initial values decide the
     * step, so that a misplaced epsilon or a wrong initial slot fails the comparison itself. An
     * adaptive step divides by about {@code sqrt(v) + epsilon} with {@code sqrt(v)} of the order of
     * the gradients (1e-5 to 1e-2 per weight for ist597-mlp) and is unchanged when both are scaled
     * together: an epsilon of that order is the same test as gradients near zero at the default
     * epsilon, without gradients so small that float32 loses them.
     * <ul>
     *   <li>rmsprop: tensorflow-framework starts the mean square at 1; with {@code rho} 0.5 it falls
     *       to the squared gradients within about 15 steps, below the epsilon 1e-4 inside the square
     *       root for most weights (once plain, once centred with momentum, where
     *       {@code ms - mg^2} nearly cancels and epsilon alone keeps the root away from 0);</li>
     *   <li>adam and nadam: epsilon 1e-3 against {@code sqrt(v)} of 1e-5 to 1e-2, where the
     *       bias-corrected ("epsilon hat") and the paper's placements differ by up to 30 times at
     *       step 1;</li>
     *   <li>adagrad: an initial accumulator of 1e-6, of the order of one squared gradient, so the
     *       initial value and any epsilon added to {@code sqrt(accum)} both move every step.</li>
     * </ul>
     * sgd, momentum and nesterov have no epsilon; the momentum slot starts at 0, which the first
     * step of every momentum trajectory already exercises.
     */
    static final List<Map.Entry<String, Map<String, Double>>> EPSILON_SENSITIVE = List.of(
            Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.5, "epsilon", 1e-4)),
            Map.entry("rmsprop", Map.of("learning_rate", 0.001, "rho", 0.5, "epsilon", 1e-4, "momentum", 0.5,
                    "centered", 1.0)),
            Map.entry("adam", Map.of("learning_rate", 0.001, "epsilon", 1e-3)),
            Map.entry("nadam", Map.of("learning_rate", 0.001, "epsilon", 1e-3)),
            Map.entry("adagrad", Map.of("learning_rate", 0.01, "initial_accumulator_value", 1e-6)));

    /**
     * Each model with its own training block, on each of {@code datasets} or, when that is empty,
     * on the model's first data set.
     */
    public static List<TrajectoryCase> ownTraining(List<ModelSpec> models, List<Dataset> datasets,
                                                   List<Precision> precisions, int steps) {
        return models.stream()
                .flatMap(m -> (datasets.isEmpty() ? List.of(Dataset.fromId(m.data().datasets().get(0))) : datasets)
                        .stream().flatMap(d -> precisions.stream().map(p -> new TrajectoryCase(m, d, p, steps))))
                .toList();
    }

    /** The optimizer and its non-default hyperparameters, e.g. {@code rmsprop{centered=1.0, ...}}. */
    public String optimizerLabel() {
        TrainingSpec t = spec.training();
        return t.optimizer() + (t.hyperparameters().size() > 1 ? new TreeMap<>(t.hyperparameters()).toString()
                .replace("learning_rate", "lr").replace(" ", "") : "");
    }

    /**
     * The trajectory's stable identifier, {@code model/dataset/optimizer/precision}, e.g.
     * {@code ist597-mlp/fashion-mnist/rmsprop{centered=1.0,lr=0.001,momentum=0.5,rho=0.9}/float32}:
     * unique within a run and the same in every run (the length is the run's, not the trajectory's).
     */
    public String id() {
        return spec.name() + "/" + dataset.id() + "/" + optimizerLabel() + "/" + precision.label();
    }

    /**
     * What the trajectory's numbers depend on besides the code ({@link Fingerprint}): the spec with
     * its training block, the initial weights, the data set (and a directory of full sets, whose
     * images past the shipped 1,000 differ) and the precision.
     */
    public String fingerprint() {
        String data = images.isShipped() ? dataset.id() : images.name(dataset, Split.TRAIN);
        return Fingerprint.start().add(spec).add(initialWeights()).add(data).add(precision.label()).hex();
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
     * @param notCompared     the tensors only TensorFlow traced in some step (keys), which nothing judged
     * @param stepErrors      each step's greatest judged and free-running error, in step order
     * @param losses          each step's losses of both free-running sides, in step order
     * @param wallMillis      wall time of the trajectory's steps, what a shard plan costs it at
     *                        ({@code harness.shard.CostTable})
     */
    public record Outcome(TrajectoryCase trajectory, Verdict verdict, Optional<Integer> firstFailingStep,
                          double worstUsed, long kinkSteps, Optional<Integer> driftFrom, double finalDivergence,
                          List<String> notCompared, String detail, List<StepError> stepErrors,
                          List<StepLosses> losses, double wallMillis) {

        public Outcome {
            notCompared = List.copyOf(notCompared);
            stepErrors = List.copyOf(stepErrors);
            losses = List.copyOf(losses);
        }

        /** Whether the trajectory passes the gate ({@link Verdict#passed()}). */
        public boolean passed() {
            return verdict.passed();
        }
    }

    /**
     * Runs every trajectory on {@code threads} threads, judged, in the order given; {@code done}
     * hears of each as it finishes. A float32 trajectory whose float64 twin (same spec, data set
     * and length) is among them runs beside it and takes its free-running reference as referee
     * ({@link TrajectoryHarness#runTwins}).
     */
    public static List<Outcome> runAll(Sides sides, List<TrajectoryCase> trajectories, int threads,
                                       Consumer<Outcome> done) {
        List<List<TrajectoryCase>> groups = new ArrayList<>();
        Set<TrajectoryCase> grouped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TrajectoryCase t : trajectories) {
            if (grouped.contains(t)) {
                continue;
            }
            Optional<TrajectoryCase> twin = t.precision() != Precision.FLOAT32 ? Optional.empty()
                    : trajectories.stream().filter(o -> !grouped.contains(o) && o.isFloat64TwinOf(t)).findFirst();
            List<TrajectoryCase> group = twin.map(o -> List.of(o, t)).orElse(List.of(t));
            grouped.addAll(group);
            groups.add(group);
        }
        // The largest models first, so that the threads finish together.
        groups.sort(java.util.Comparator.comparingLong((List<TrajectoryCase> g) ->
                -g.get(0).spec().parameterCount() * g.get(0).steps() * g.size()));
        Map<TrajectoryCase, Outcome> outcomes = new IdentityHashMap<>();
        Concurrently.map(groups, threads, group -> runGroup(sides, group),
                        (group, judged) -> judged.forEach(done))
                .forEach(judged -> judged.forEach(o -> outcomes.put(o.trajectory(), o)));
        return trajectories.stream().map(outcomes::get).toList();
    }

    private static List<Outcome> runGroup(Sides sides, List<TrajectoryCase> group) {
        if (group.size() == 1) {
            return List.of(group.get(0).run(sides));
        }
        TrajectoryCase t64 = group.get(0);
        TrajectoryCase t32 = group.get(1);
        TrajectoryHarness.Twins twins = TrajectoryHarness.runTwins(sides, t64.spec(), t64.initialWeights(),
                t64.images(), t64.dataset(), t64.steps());
        return List.of(t64.judge(twins.float64(), twins.float64Millis()),
                t32.judge(twins.float32(), twins.float32Millis()));
    }

    private boolean isFloat64TwinOf(TrajectoryCase float32) {
        return precision == Precision.FLOAT64 && spec.equals(float32.spec()) && dataset == float32.dataset()
                && steps == float32.steps() && images.equals(float32.images());
    }

    private WeightSet initialWeights() {
        return GlorotUniform.initialise(spec, spec.training().seed());
    }

    /** Runs the trajectory on {@code sides} and judges it, known defects included. */
    public Outcome run(Sides sides) {
        long start = System.nanoTime();
        List<StepResult> results = TrajectoryHarness.run(sides, spec, initialWeights(), images, dataset, precision,
                steps);
        return judge(results, (System.nanoTime() - start) / 1e6);
    }

    /** Judges the steps of this trajectory, known defects included; {@code wallMillis} is what they took. */
    public Outcome judge(List<StepResult> results, double wallMillis) {
        Optional<StepResult> firstFailing = results.stream().filter(r -> !r.passed()).findFirst();
        Verdict verdict = Verdict.judge(spec.training().optimizer(), firstFailing.isPresent(), null);
        double worst = results.stream().mapToDouble(StepResult::toleranceUsed).filter(d -> !Double.isNaN(d)).max()
                .orElse(Double.NaN);
        long kinks = results.stream().filter(StepResult::kinkExcused).count();
        Optional<Integer> driftFrom = results.stream().filter(r -> !r.withinDrift()).map(StepResult::step).findFirst();
        double divergence = results.get(results.size() - 1).weightDivergence(spec);
        String reason = KnownDefect.of(spec.training().optimizer()).map(KnownDefect::reason).orElse("");
        String detail = switch (verdict) {
            case KNOWN_DEFECT -> reason;
            case FIXED -> "the known defect no longer reproduces; check and remove it: " + reason;
            case FAIL -> firstFailing.flatMap(r -> r.firstOutside().map(c -> "step " + r.step() + ": "
                    + c.comparison().message())).orElse("");
            case PASS, DIVERGED -> "";
        };
        List<String> notCompared = results.stream().flatMap(r -> r.notCompared().stream()).distinct().toList();
        return new Outcome(this, verdict, firstFailing.map(StepResult::step), worst, kinks, driftFrom, divergence,
                notCompared, detail, results.stream().map(StepError::of).toList(),
                results.stream().map(StepLosses::of).toList(), wallMillis);
    }
}
