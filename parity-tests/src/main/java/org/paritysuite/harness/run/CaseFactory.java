package org.paritysuite.harness.run;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.Split;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.DropoutMasks;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.spec.ModelZoo;
import org.paritysuite.fixtures.weights.GlorotUniform;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * Makes parity cases from the shipped data: the batch is the first {@code batch_size} images of
 * the shipped test subset (class-balanced, see {@code docs/datasets.md}), scaled as the spec says,
 * or a user's own batch ({@code UserInputs}), with dropout keep masks drawn in Java from the
 * spec's seed. A training pass is the default; an
 * inference pass (dropout off, batch normalization on its moving statistics) is asked for.
 */
public final class CaseFactory {

    private CaseFactory() {
    }

    /** A zoo model with its seeded Glorot-uniform weights, training pass. */
    public static ParityCase zooCase(String modelId, Dataset dataset, Precision precision) {
        return zooCase(modelId, dataset, precision, true);
    }

    /** A zoo model with its seeded Glorot-uniform weights, training or inference pass. */
    public static ParityCase zooCase(String modelId, Dataset dataset, Precision precision, boolean training) {
        ModelSpec spec = ModelZoo.load(modelId);
        return zooCase(modelId, dataset, precision, training, spec.training().batchSize());
    }

    /**
     * A zoo model with its seeded weights on a batch of {@code batchSize} images instead of the
     * spec's {@code batch_size}: golden bundles use one batch size for every model, to keep them small.
     */
    public static ParityCase zooCase(String modelId, Dataset dataset, Precision precision, boolean training,
                                     int batchSize) {
        ModelSpec spec = ModelZoo.load(modelId);
        return of(spec, GlorotUniform.initialise(spec, spec.training().seed()), dataset, precision, training,
                batchSize);
    }

    /** Any model with the given weights, on the first batch of the shipped test subset. */
    public static ParityCase of(ModelSpec spec, WeightSet weights, Dataset dataset, Precision precision,
                                boolean training) {
        return of(spec, weights, dataset, precision, training, spec.training().batchSize());
    }

    /** Any model with the given weights, on the first {@code batchSize} images of the shipped test subset. */
    public static ParityCase of(ModelSpec spec, WeightSet weights, Dataset dataset, Precision precision,
                                boolean training, int batchSize) {
        return of(spec, weights, dataset.id(), firstTestBatch(spec, ImageSource.SHIPPED, dataset, batchSize),
                Optional.empty(), precision, training);
    }

    /**
     * Any model with the given weights on a batch of its own ({@code --inputs}), its dropout masks
     * drawn as for the shipped images.
     *
     * @param source where the batch comes from, the case's data set in ids and reports, e.g. {@code x.npy}
     * @param keras  the predictions saved from Keras for the batch ({@code --expect}), if any
     */
    public static ParityCase of(ModelSpec spec, WeightSet weights, String source, Batch batch,
                                Optional<INDArray> keras, Precision precision, boolean training) {
        Batch masked = batch.with(DropoutMasks.draw(spec, batch.size(), spec.training().seed()), training);
        return new ParityCase(spec, source, precision, weights, masked, keras);
    }

    /** The first {@code batch_size} images of the shipped test subset of {@code dataset}. */
    public static Batch firstTestBatch(ModelSpec spec, Dataset dataset) {
        return firstTestBatch(spec, ImageSource.SHIPPED, dataset, spec.training().batchSize());
    }

    /** The first {@code n} images of the test split of {@code dataset} in {@code images}. */
    public static Batch firstTestBatch(ModelSpec spec, ImageSource images, Dataset dataset, int n) {
        LabeledImages test = images.load(dataset, Split.TEST);
        if (n > test.size()) {
            throw new FixtureException("model '" + spec.name() + "': batch_size " + n + " is larger than the "
                    + test.size() + " images of " + images.describe(dataset, Split.TEST));
        }
        if (spec.classes() != dataset.numClasses()) {
            throw new FixtureException("model '" + spec.name() + "' has " + spec.classes() + " classes; "
                    + dataset.id() + " has " + dataset.numClasses());
        }
        double[][] x = test.imagesScaled(spec.data().inputLow(), spec.data().inputHigh(), 0, n);
        double[][] y = test.oneHot(0, n, spec.classes());
        return Batch.fromRows(x, y, spec.inputShape(), images.name(dataset, Split.TEST) + "[0:" + n + "]");
    }
}
