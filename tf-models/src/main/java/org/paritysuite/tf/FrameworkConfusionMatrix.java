package org.paritysuite.tf;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.framework.metrics.impl.MetricsHelper;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * The reproducers of two known defects of tensorflow-framework's {@code MetricsHelper.confusionMatrix} (1.0.0
 * and 1.1.0), against {@code tf.math.confusion_matrix}, which it follows otherwise (rows are labels, columns
 * predictions, {@code num_classes} inferred as the largest index plus one):
 * <ul>
 *   <li>{@link #swapsLabelsAndPredictions()}: it passes {@code (predictions, labels)} to
 *       {@code LossesHelper.squeezeOrExpandDimensions(tf, labels, predictions, weights)} and reads the tuple back
 *       the other way round, so rows are predictions and columns labels: the transpose.</li>
 *   <li>{@link #infersOneClassTooFew()}: without {@code numClasses} it takes {@code max(labels, predictions)}
 *       without the {@code + 1}; the largest class's pairs fall outside and the run fails.</li>
 * </ul>
 * Both use labels {@code [0, 1]} and predictions {@code [1, 1]}: Keras's matrix is {@code [[0, 1], [0, 1]]}.
 */
public final class FrameworkConfusionMatrix {

    private static final double[] LABELS = {0, 1};
    private static final double[] PREDICTIONS = {1, 1};

    private FrameworkConfusionMatrix() {
    }

    /** Whether the matrix with {@code numClasses = 2} is still the transpose, {@code [[0, 0], [1, 1]]}. */
    public static boolean swapsLabelsAndPredictions() {
        double[] m = matrix(2L);
        if (m[1] == 0 && m[2] == 1 && m[3] == 1) {
            return true;
        }
        if (m[1] == 1 && m[2] == 0 && m[3] == 1) {
            return false;
        }
        throw new IllegalStateException("tensorflow-framework's confusionMatrix counted " + java.util.Arrays.toString(m)
                + ", neither [[0, 1], [0, 1]] nor its transpose; re-examine the known defect by hand");
    }

    /** Whether the matrix with {@code numClasses} left out still fails for want of a row and a column. */
    public static boolean infersOneClassTooFew() {
        try {
            matrix(null);
            return false;
        } catch (TFInvalidArgumentException e) {
            return true;
        }
    }

    /** The matrix, row-major; {@code numClasses} null to let the framework infer it. */
    private static double[] matrix(Long numClasses) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TInt64> classes = numClasses == null ? null : tf.constant(numClasses);
            Operand<TFloat64> matrix = MetricsHelper.confusionMatrix(tf, tf.constant(LABELS), tf.constant(PREDICTIONS),
                    classes, null, TFloat64.class);
            try (Result result = session.runner().fetch(matrix).run()) {
                TFloat64 m = (TFloat64) result.get(0);
                if (!m.shape().equals(Shape.of(2, 2))) {
                    throw new IllegalStateException("tensorflow-framework's confusionMatrix of two classes has shape "
                            + m.shape() + "; re-examine the known defects by hand");
                }
                return new double[] {m.getDouble(0, 0), m.getDouble(0, 1), m.getDouble(1, 0), m.getDouble(1, 1)};
            }
        }
    }
}
