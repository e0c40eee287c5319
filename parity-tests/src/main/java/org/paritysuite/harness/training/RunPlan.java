package org.paritysuite.harness.training;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.TerminalText;
import org.paritysuite.fixtures.run.UserInputs;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.OptimizerSpec;
import org.paritysuite.fixtures.spec.TrainingSpec;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * What one lockstep run trains: a model (its {@code training} block already holding the optimizer
 * and batch size of this run), on which data, in which precision, for how long.
 *
 * @param name        the run's name in tables, plots and files, e.g. {@code sgd} or {@code batch 10}
 * @param spec        the model, with this run's optimizer and batch size in its training block
 * @param dataset     the data set; training uses the first {@code trainImages} of its training split in
 *                    {@code images} (or of {@code inputs}), evaluation the first {@code testImages} of its test
 *                    split in {@code images}
 * @param precision   both sides' precision
 * @param epochs      passes over the training images, 1 to {@link #MAX_EPOCHS}
 * @param trainImages how many training images, 1 to as many as {@code images} (or {@code inputs}) holds
 * @param testImages  how many test images, 1 to as many as {@code images} holds
 * @param note        why this run departs from the experiment it reproduces, or empty
 * @param inputs      a user's own training examples ({@code parity train --inputs}) instead of the shipped
 *                    training subset, or empty
 * @param images      where the images come from: the shipped subsets or a directory of full sets
 * @param weights     the weights training starts from (a Keras file's, {@code parity train --keras}), or empty
 *                    for the spec's seeded Glorot-uniform ones
 * @param testInputs  a user's own test examples ({@code parity train --test-inputs}) to evaluate on instead of
 *                    the test split of {@code images}, or empty
 */
public record RunPlan(String name, ModelSpec spec, Dataset dataset, Precision precision, int epochs,
                      int trainImages, int testImages, String note, Optional<UserInputs> inputs,
                      ImageSource images, Optional<WeightSet> weights, Optional<UserInputs> testInputs) {

    /** A run from the spec's seeded weights. */
    public RunPlan(String name, ModelSpec spec, Dataset dataset, Precision precision, int epochs, int trainImages,
                   int testImages, String note, Optional<UserInputs> inputs, ImageSource images) {
        this(name, spec, dataset, precision, epochs, trainImages, testImages, note, inputs, images, Optional.empty(),
                Optional.empty());
    }

    /** A run on the shipped subsets. */
    public RunPlan(String name, ModelSpec spec, Dataset dataset, Precision precision, int epochs, int trainImages,
                   int testImages, String note) {
        this(name, spec, dataset, precision, epochs, trainImages, testImages, note, Optional.empty(),
                ImageSource.SHIPPED, Optional.empty(), Optional.empty());
    }

    /** The number of images in each shipped split; {@link ImageSource#count} gives any source's. */
    public static final int SHIPPED_IMAGES = 1000;

    /**
     * The most epochs of a run. At batch 1 an epoch of the shipped subset is 1,000 lockstep steps,
     * measured at 4.5 s for cs172-linear and minutes for the larger MLPs; 100 epochs are already
     * 100,000 steps (hours), and past a few dozen passes over 1,000 images the curves show only
     * over-fitting to them.
     */
    public static final int MAX_EPOCHS = 100;

    public RunPlan {
        if (name == null || name.isBlank()) {
            throw new FixtureException("a run needs a name, found '" + name + "'");
        }
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new FixtureException("run '" + name + "': epochs must be 1 to " + MAX_EPOCHS + ", found " + epochs);
        }
        if (inputs.isPresent() && trainImages > inputs.get().size()) {
            throw new FixtureException(inputs.get().inputsFile() + ": holds " + inputs.get().size() + " example(s);"
                    + " expected at least the " + trainImages + " training images of run '" + name + "'");
        }
        if (inputs.isEmpty()) {
            requireImages(name, "training", trainImages, images, dataset, Split.TRAIN);
        }
        if (testInputs.isPresent() && (testImages < 1 || testImages > testInputs.get().size())) {
            throw new FixtureException(testInputs.get().inputsFile() + ": holds " + testInputs.get().size()
                    + " example(s); expected 1 to that many test images of run '" + name + "', found " + testImages);
        }
        if (testInputs.isEmpty()) {
            requireImages(name, "test", testImages, images, dataset, Split.TEST);
        }
        if (spec.training().batchSize() > trainImages) {
            // Minibatches refuses this too; checking here refuses it before any run of an experiment trains.
            throw new FixtureException("run '" + name + "': batch size " + spec.training().batchSize()
                    + " is larger than the " + trainImages + " training images; use a smaller batch or more images");
        }
        note = note == null ? "" : note;
    }

    /**
     * Refuses {@code count} images of a split outside 1 to what {@code images} holds.
     *
     * @param what {@code training} or {@code test}
     */
    private static void requireImages(String name, String what, int count, ImageSource images, Dataset dataset,
                                      Split split) {
        int available = images.count(dataset, split);
        if (count < 1 || count > available) {
            throw new FixtureException(String.format(java.util.Locale.ROOT, "run '%s': %s images must be 1 to %,d"
                    + " (%s), found %,d", name, what, available, images.describe(dataset, split), count));
        }
    }

    /**
     * {@code spec} with another training block: same seed, the given batch size and optimizer.
     * The hyperparameters are validated by {@link OptimizerSpec} (a bad one is a {@link FixtureException}).
     */
    public static ModelSpec retrained(ModelSpec spec, int batchSize, String optimizer,
                                      Map<String, Double> hyperparameters) {
        return new ModelSpec(spec.name(), spec.description(), spec.inputShape(), spec.classes(), spec.layers(),
                spec.loss(), spec.data(), new TrainingSpec(spec.training().seed(), batchSize, optimizer,
                        hyperparameters), spec.keras());
    }

    /** The optimizer type, e.g. {@code sgd}. */
    public String optimizer() {
        return spec.training().optimizer();
    }

    /** The batch size. */
    public int batchSize() {
        return spec.training().batchSize();
    }

    /** Optimizer steps per epoch: whole batches only, as {@code Minibatches} cuts them. */
    public int stepsPerEpoch() {
        return trainImages / batchSize();
    }

    /** {@code model / dataset / precision / optimizer}, as the trajectory harness names a run in messages. */
    public String context() {
        return spec.name() + " / " + dataset.id() + " / " + precision + " / " + optimizer() + " (run '" + name + "')";
    }

    /** The resolved optimizer, every hyperparameter given: {@code sgd learning_rate=0.1}. */
    public String optimizerText() {
        OptimizerSpec o = spec.training().optimizerSpec();
        return o.type().jsonName() + " " + new TreeMap<>(o.hyperparameters()).entrySet().stream()
                .map(e -> e.getKey() + "=" + (float) (double) e.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * The training examples, e.g. {@code fashion-mnist train[0:1000]}, {@code data/fashion-mnist train[0:7000]}
     * or {@code x.npy[0:500]}.
     */
    public String trainingSource() {
        return inputs.map(u -> u.inputsFile().getFileName() + "[0:" + trainImages + "]")
                .orElse(images.name(dataset, Split.TRAIN) + "[0:" + trainImages + "]");
    }

    /** One line describing the run, for the table header. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%s: %s on %s, %s, %s, batch %d, %d training images%s (%d steps/epoch), %d test images, %d epochs%s",
                name, spec.name(), dataset.id(), precision, optimizerText(), batchSize(), trainImages,
                inputs.isPresent() || !images.isShipped() ? " (" + TerminalText.escape(trainingSource()) + ")" : "",
                stepsPerEpoch(),
                testImages, epochs, note.isEmpty() ? "" : "; " + note);
    }
}
