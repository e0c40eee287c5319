package org.paritysuite.harness.training;

import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.run.UserInputs;
import org.paritysuite.fixtures.spec.ModelSpec;

/**
 * The minibatches both sides train on: consecutive slices of {@code batchSize} images of a
 * labelled set (a shipped subset, or a user's own examples), in order, an epoch being every whole batch once (a last partial batch is
 * dropped, as Keras' {@code drop_remainder} does, so every step sees the same batch size), and
 * dropout masks drawn in Java from the model's seed and the step, so both sides drop the same
 * units.
 */
public final class Minibatches {

    private final ModelSpec spec;
    private final int examples;
    private final Slicer slicer;
    private final int batchSize;

    /** Cuts {@code count} examples from {@code from} of a labelled set into a batch named after them. */
    private interface Slicer {
        Batch slice(int from, int count);
    }

    /**
     * Minibatches of {@code batchSize} from {@code images}.
     *
     * @param source where the images come from, e.g. {@code fashion-mnist train}, for batch descriptions
     * @throws FixtureException when the set holds fewer images than one batch, or the size is not positive
     */
    public Minibatches(ModelSpec spec, LabeledImages images, String source, int batchSize) {
        this(spec, images.size(), source, batchSize, (from, count) -> Batch.fromRows(
                images.imagesScaled(spec.data().inputLow(), spec.data().inputHigh(), from, count),
                images.oneHot(from, count, spec.classes()), spec.inputShape(),
                source + "[" + from + ":" + (from + count) + "]"));
    }

    /**
     * Minibatches of {@code batchSize} from the first {@code examples} of a user's own examples
     * ({@code parity train --inputs}), already checked against {@code spec}.
     *
     * @throws FixtureException when they are fewer than one batch, or the size is not positive
     */
    public Minibatches(ModelSpec spec, UserInputs inputs, int examples, int batchSize) {
        this(spec, Math.min(examples, inputs.size()), inputs.inputsFile().getFileName().toString(), batchSize,
                inputs::slice);
    }

    private Minibatches(ModelSpec spec, int examples, String source, int batchSize, Slicer slicer) {
        if (batchSize < 1) {
            throw new FixtureException("model '" + spec.name() + "': batch size must be at least 1, found " + batchSize);
        }
        if (batchSize > examples) {
            throw new FixtureException("model '" + spec.name() + "': batch size " + batchSize + " is larger than the "
                    + examples + " images of " + source + "; use a smaller batch or more images");
        }
        this.spec = spec;
        this.examples = examples;
        this.slicer = slicer;
        this.batchSize = batchSize;
    }

    /** Minibatches of the model's own training batch size. */
    public Minibatches(ModelSpec spec, LabeledImages images, String source) {
        this(spec, images, source, spec.training().batchSize());
    }

    /** Whole batches in one pass over the images. */
    public int batchesPerEpoch() {
        return examples / batchSize;
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The batch of training step {@code step} (from 1): images {@code [(step-1) b, step b)} modulo
     * the epoch, with this step's dropout masks.
     */
    public Batch forStep(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps count from 1, found " + step);
        }
        Batch slice = slicer.slice(((step - 1) % batchesPerEpoch()) * batchSize, batchSize);
        Batch batch = new Batch(slice.x(), slice.y(), slice.description() + " step " + step);
        return batch.with(DropoutMasks.draw(spec, batchSize, spec.training().seed() + step), true);
    }
}
