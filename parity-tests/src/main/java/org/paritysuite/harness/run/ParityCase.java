package org.paritysuite.harness.run;

import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;

/**
 * One comparison: a model, its weights and one batch, run by both sides in one precision.
 *
 * @param spec      the model
 * @param dataset   the data set the batch comes from (for the report)
 * @param precision the precision both sides run in
 * @param weights   the weights both sides start from (TensorFlow layout)
 * @param batch     the batch both sides see
 */
public record ParityCase(ModelSpec spec, String dataset, Precision precision, WeightSet weights, Batch batch) {

    /**
     * What the case's numbers depend on besides the code ({@link Fingerprint}): the spec, the
     * weights, the batch with its labels and dropout masks, the pass and the precision.
     */
    public String fingerprint() {
        return Fingerprint.start().add(spec).add(weights.asMap()).add(batch.x()).add(batch.y())
                .add(batch.dropoutMasks()).add(batch.training() ? "training" : "inference").add(precision.label())
                .hex();
    }

    /** {@code model / dataset / precision}, for display names and logs. */
    public String displayName() {
        return spec.name() + " / " + dataset + " / " + precision + (batch.training() ? "" : " / inference");
    }
}
