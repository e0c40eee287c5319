package org.paritysuite.harness.wiring;

import java.util.Map;
import org.paritysuite.reference.ReferenceModel;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.reference.optim.Optimizers;
import org.paritysuite.tf.FrameworkAdamRace;
import org.paritysuite.tf.TfModel;

/**
 * The one place that names the implementations: TensorFlow Java ({@code tf-models}) as the side
 * under test, the hand-written ND4J reference ({@code reference-impl}) as the textbook, and the
 * live reproducers of the known TensorFlow-side defects. No other class of the harness imports
 * either side ({@code ArchitectureTest} keeps it so).
 */
public final class Wiring {

    /** TensorFlow Java against the hand-written reference. */
    public static final Sides STANDARD = new Sides(
            TfModel::build,
            ReferenceModel::build,
            TfModel::build,
            ReferenceTrainer::build,
            (optimizer, precision) -> Optimizers.create(optimizer, precision.dataType()),
            Map.of("adam", FrameworkAdamRace::reproduces));

    private Wiring() {
    }
}
