package org.paritysuite.harness.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * @param keras     predictions a user saved from Keras for this batch ({@code --expect}), {@code [N, classes]},
 *                  which both sides' outputs are compared with; empty when none were given
 */
public record ParityCase(ModelSpec spec, String dataset, Precision precision, WeightSet weights, Batch batch,
                         Optional<INDArray> keras) {

    /** A case without saved Keras predictions. */
    public ParityCase(ModelSpec spec, String dataset, Precision precision, WeightSet weights, Batch batch) {
        this(spec, dataset, precision, weights, batch, Optional.empty());
    }

    /**
     * What the case's numbers depend on besides the code ({@link Fingerprint}): the spec, the
     * weights, the batch with its labels and dropout masks, the pass and the precision.
     */
    public String fingerprint() {
        return Fingerprint.ofModel(spec, weights).add(batch.x()).add(batch.y())
                .add(batch.dropoutMasks()).add(batch.training() ? "training" : "inference").add(precision.label())
                .hex();
    }

    /**
     * The batch as named arrays, as {@code parity export}'s {@code inputs.npz} and golden bundles
     * hold it: {@code x}, {@code y}, and {@code dropout_mask/LAYER} for each dropout layer.
     */
    public Map<String, INDArray> inputArrays() {
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        inputs.put("x", batch.x());
        inputs.put("y", batch.y());
        batch.dropoutMasks().forEach((layer, mask) -> inputs.put("dropout_mask/" + layer, mask));
        return inputs;
    }

    /** {@code model / dataset / precision}, for display names and logs. */
    public String displayName() {
        return spec.name() + " / " + dataset + " / " + precision + (batch.training() ? "" : " / inference");
    }
}
