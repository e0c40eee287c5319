package org.paritysuite.harness.training;

import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.spec.ModelSpec;

/**
 * The minibatches both sides train on: consecutive slices of {@code batchSize} images of a
 * labelled set, in order, an epoch being every whole batch once (a last partial batch is
 * dropped, as Keras' {@code drop_remainder} does, so every step sees the same batch size), and
 * dropout masks drawn in Java from the model's seed and the step, so both sides drop the same
 * units.
 */
public final class Minibatches {

    private final ModelSpec spec;
    private final LabeledImages images;
    private final String source;
    private final int batchSize;

    /**
     * Minibatches of {@code batchSize} from {@code images}.
     *
     * @param source where the images come from, e.g. {@code fashion-mnist train}, for batch descriptions
     * @throws FixtureException when the set holds fewer images than one batch, or the size is not positive
     */
    public Minibatches(ModelSpec spec, LabeledImages images, String source, int batchSize) {
        if (batchSize < 1) {
            throw new FixtureException("model '" + spec.name() + "': batch size must be at least 1, found " + batchSize);
        }
        if (batchSize > images.size()) {
            throw new FixtureException("model '" + spec.name() + "': batch size " + batchSize + " is larger than the "
                    + images.size() + " images of " + source + "; use a smaller batch or more images");
        }
        this.spec = spec;
        this.images = images;
        this.source = source;
        this.batchSize = batchSize;
    }

    /** Minibatches of the model's own training batch size. */
    public Minibatches(ModelSpec spec, LabeledImages images, String source) {
        this(spec, images, source, spec.training().batchSize());
    }

    /** Whole batches in one pass over the images. */
    public int batchesPerEpoch() {
        return images.size() / batchSize;
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
        int from = ((step - 1) % batchesPerEpoch()) * batchSize;
        double[][] x = images.imagesScaled(spec.data().inputLow(), spec.data().inputHigh(), from, batchSize);
        double[][] y = images.oneHot(from, batchSize, spec.classes());
        Batch batch = Batch.fromRows(x, y, spec.inputShape(),
                source + "[" + from + ":" + (from + batchSize) + "] step " + step);
        return batch.with(DropoutMasks.draw(spec, batchSize, spec.training().seed() + step), true);
    }
}
