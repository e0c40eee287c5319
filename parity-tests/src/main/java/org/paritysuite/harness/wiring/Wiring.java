package org.paritysuite.harness.wiring;

import java.util.Map;
import org.paritysuite.fixtures.run.Textbook;
import org.paritysuite.reference.ReferenceTextbook;
import org.paritysuite.reference.ReferenceModel;
import org.paritysuite.reference.ReferenceTrainer;
import org.paritysuite.reference.optim.Optimizers;
import org.paritysuite.tf.FetchedVariableAliasing;
import org.paritysuite.tf.FrameworkAdamRace;
import org.paritysuite.tf.FrameworkConfusionMatrix;
import org.paritysuite.tf.FrameworkL2Lambda;
import org.paritysuite.tf.FrameworkLossEpsilon;
import org.paritysuite.tf.FrameworkVarianceScaling;
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
            Map.of("optimizer:adam", FrameworkAdamRace::reproduces,
                    "initializer:VarianceScaling(UNIFORM)", FrameworkVarianceScaling::uniformDrawsAreNonNegative,
                    "initializer:VarianceScaling(conv fans)", FrameworkVarianceScaling::convFansCountInputChannelsTwice,
                    "loss:BinaryCrossentropy(probabilities)", FrameworkLossEpsilon::binaryCrossentropyAddsEpsilonInLog,
                    "loss:epsilon in float64", FrameworkLossEpsilon::clipsAtFloatBoundInFloat64,
                    "regularizer:L2", FrameworkL2Lambda::roundsLambdaToFloatInFloat64,
                    "metric:confusionMatrix(transposed)", FrameworkConfusionMatrix::swapsLabelsAndPredictions,
                    "metric:confusionMatrix(num_classes)", FrameworkConfusionMatrix::infersOneClassTooFew,
                    "session:fetched variable", FetchedVariableAliasing::reproduces));

    /** The reference's formulas, from its layers' own class comments, for the walk-through. */
    public static final Textbook TEXTBOOK = new ReferenceTextbook();

    private Wiring() {
    }

    /**
     * The reference alone, for the lane that checks it against TensorFlow's recorded tensors
     * (golden bundles) where TensorFlow cannot run. A class of its own so that naming it loads no
     * TensorFlow class: {@link Wiring}'s initialiser links {@code TfModel}, this one never does.
     * Its TensorFlow parts fail with a message when used.
     */
    public static final class ReferenceOnly {

        /** The reference's single-pass and training sides; no side under test. */
        public static final Sides SIDES = new Sides(
                (spec, weights, precision) -> {
                    throw noTensorFlow();
                },
                ReferenceModel::build,
                (spec, weights, precision) -> {
                    throw noTensorFlow();
                },
                ReferenceTrainer::build,
                (optimizer, precision) -> Optimizers.create(optimizer, precision.dataType()),
                Map.of());

        private ReferenceOnly() {
        }

        private static UnsupportedOperationException noTensorFlow() {
            return new UnsupportedOperationException("the reference-only wiring runs no TensorFlow");
        }
    }
}
