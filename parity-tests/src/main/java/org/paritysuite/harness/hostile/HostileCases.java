package org.paritysuite.harness.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.paritysuite.fixtures.Precision;
import org.paritysuite.fixtures.data.Dataset;
import org.paritysuite.fixtures.data.ImageSource;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.spec.ModelSpec;
import org.paritysuite.fixtures.weights.WeightSet;
import org.paritysuite.harness.run.CaseFactory;
import org.paritysuite.harness.run.ParityCase;

/**
 * The hostile cases of one model: every {@link HostileBatch} that applies to it, in each precision,
 * as training passes (the pass that reaches the backward kernels and batch normalization's batch
 * statistics). A case's data set in ids and reports is the kind's id, e.g.
 * {@code ist597-mlp/zero-images/float32/training}.
 */
public final class HostileCases {

    private HostileCases() {
    }

    /**
     * The hostile cases of {@code spec} with {@code weights}, their images and labels from the test
     * split of {@code dataset} in {@code images}. A kind's weights and batch are made once for all
     * precisions, so that a float32 case is refereed by its float64 twin.
     */
    public static List<ParityCase> of(ModelSpec spec, WeightSet weights, ImageSource images, Dataset dataset,
                                      List<Precision> precisions) {
        List<ParityCase> cases = new ArrayList<>();
        for (HostileBatch kind : HostileBatch.values()) {
            List<Precision> applicable = precisions.stream().filter(p -> kind.appliesTo(spec, p)).toList();
            if (applicable.isEmpty()) {
                continue;
            }
            Batch batch = kind.batch(spec, CaseFactory.firstTestBatch(spec, images, dataset, kind.size(spec)));
            WeightSet kindWeights = kind.weights(spec, weights);
            for (Precision p : applicable) {
                cases.add(CaseFactory.of(spec, kindWeights, kind.id(), batch, Optional.empty(), p, true));
            }
        }
        return cases;
    }
}
