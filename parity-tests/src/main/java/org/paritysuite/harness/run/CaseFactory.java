package org.paritysuite.harness.run;

import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.data.ShippedDatasets;
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
 * with dropout keep masks drawn in Java from the spec's seed. A training pass is the default; an
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
        return of(spec, GlorotUniform.initialise(spec, spec.training().seed()), dataset, precision, training);
    }

    /** Any model with the given weights, on the first batch of the shipped test subset. */
    public static ParityCase of(ModelSpec spec, WeightSet weights, Dataset dataset, Precision precision,
                                boolean training) {
        Batch batch = firstTestBatch(spec, dataset);
        batch = batch.with(DropoutMasks.draw(spec, batch.size(), spec.training().seed()), training);
        return new ParityCase(spec, dataset.id(), precision, weights, batch);
    }

    /** The first {@code batch_size} images of the shipped test subset of {@code dataset}. */
    public static Batch firstTestBatch(ModelSpec spec, Dataset dataset) {
        LabeledImages test = ShippedDatasets.load(dataset, Split.TEST);
        int n = spec.training().batchSize();
        if (n > test.size()) {
            throw new FixtureException("model '" + spec.name() + "': batch_size " + n + " is larger than the "
                    + test.size() + " shipped " + dataset.id() + " test images");
        }
        if (spec.classes() != dataset.numClasses()) {
            throw new FixtureException("model '" + spec.name() + "' has " + spec.classes() + " classes; "
                    + dataset.id() + " has " + dataset.numClasses());
        }
        double[][] x = test.imagesScaled(spec.data().inputLow(), spec.data().inputHigh(), 0, n);
        double[][] y = test.oneHot(0, n, spec.classes());
        return Batch.fromRows(x, y, spec.inputShape(), dataset.id() + " test[0:" + n + "]");
    }
}
