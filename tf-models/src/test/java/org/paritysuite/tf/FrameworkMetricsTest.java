package org.paritysuite.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.framework.metrics.Accuracy;
import org.tensorflow.framework.metrics.CategoricalAccuracy;
import org.tensorflow.framework.metrics.Metric;
import org.tensorflow.framework.metrics.impl.MetricsHelper;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * tensorflow-framework's metrics against counts made in Java on fixed predictions: {@code Accuracy} (how often
 * predictions equal labels), {@code CategoricalAccuracy} (how often {@code argmax} of the one-hot labels equals
 * {@code argmax} of the outputs; ties go to the first index, as {@code tf.math.argMax}'s CPU kernel and NumPy do),
 * each accumulated over two updates as Keras's stateful metrics are; and {@code MetricsHelper.confusionMatrix}
 * against {@code tf.math.confusion_matrix} (rows labels, columns predictions, {@code num_classes} inferred as the
 * largest index plus one).
 */
@DisplayName("tensorflow-framework's metrics against counts made in Java")
class FrameworkMetricsTest {

    /** Eight examples of four classes; rows 4, 5 and 7 have tied maxima. */
    private static final int[] LABELS = {0, 1, 2, 3, 0, 1, 2, 3};
    private static final double[][] OUTPUTS = {
            {0.7, 0.1, 0.1, 0.1}, {0.2, 0.5, 0.2, 0.1}, {0.1, 0.6, 0.2, 0.1}, {0.1, 0.1, 0.1, 0.7},
            {0.4, 0.4, 0.1, 0.1}, {0.3, 0.3, 0.3, 0.1}, {0.1, 0.1, 0.7, 0.1}, {0.25, 0.25, 0.25, 0.25}};
    private static final int CLASSES = 4;

    @Test
    @DisplayName("PASS: CategoricalAccuracy over two updates is the share of rows whose first argmax is the label")
    void categoricalAccuracy() {
        double[] results = runTwoUpdates(new CategoricalAccuracy<>(1L, TFloat64.class),
                tf -> tf.constant(oneHot(LABELS)), tf -> tf.constant(OUTPUTS));

        assertThat(results).as("CategoricalAccuracy after the first four rows, then after all eight (Java: %s, %s)",
                        accuracy(0, 4), accuracy(0, 8))
                .containsExactly(accuracy(0, 4), accuracy(0, 8));
    }

    @Test
    @DisplayName("PASS: Accuracy over two updates is the share of equal class indices")
    void accuracy() {
        double[] predicted = Arrays.stream(OUTPUTS).mapToDouble(FrameworkMetricsTest::firstArgMax).toArray();
        double[] results = runTwoUpdates(new Accuracy<>(1L, TFloat64.class),
                tf -> tf.constant(Arrays.stream(LABELS).asDoubleStream().toArray()), tf -> tf.constant(predicted));

        assertThat(results).as("Accuracy of the class indices after four rows, then eight")
                .containsExactly(accuracy(0, 4), accuracy(0, 8));
    }

    @Test
    @DisplayName("KNOWN DEFECT: confusionMatrix with num_classes given counts (prediction, label): the transpose of tf.math.confusion_matrix")
    void confusionMatrixIsTransposed() {
        double[] matrix = GraphRun.fetchOne(tf -> MetricsHelper.confusionMatrix(tf, tf.constant(labelsAsDoubles()),
                tf.constant(predictedAsDoubles()), tf.constant((long) CLASSES), null, TFloat64.class));

        assertThat(matrix).as("the 4x4 confusion matrix, row-major; Keras's (rows labels) is %s",
                        Arrays.toString(javaConfusionMatrix(false)))
                .containsExactly(javaConfusionMatrix(true));
        assertThat(FrameworkConfusionMatrix.swapsLabelsAndPredictions()).as("the live reproducer parity verify reports")
                .isTrue();
    }

    @Test
    @DisplayName("KNOWN DEFECT: confusionMatrix without num_classes takes the largest index, one class too few, and fails")
    void confusionMatrixInfersOneClassTooFew() {
        // tf.math.confusion_matrix infers num_classes = max(labels, predictions) + 1; the framework leaves out the
        // + 1, so the largest class's pairs fall outside the matrix.
        assertThatThrownBy(() -> GraphRun.fetchOne(tf -> MetricsHelper.confusionMatrix(tf,
                        tf.constant(labelsAsDoubles()), tf.constant(predictedAsDoubles()), null, null, TFloat64.class)))
                .as("the confusion matrix with num_classes inferred; Keras's would be %s",
                        Arrays.toString(javaConfusionMatrix(false)))
                .isInstanceOf(TFInvalidArgumentException.class)
                .hasMessageContaining("invalid index");
        assertThat(FrameworkConfusionMatrix.infersOneClassTooFew()).as("the live reproducer parity verify reports")
                .isTrue();
    }

    /** The metric's result after an update with rows 0-3, then after another with rows 4-7. */
    private static double[] runTwoUpdates(Metric metric, Function<Ops, Operand<TFloat64>> labels,
                                          Function<Ops, Operand<TFloat64>> outputs) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat64> allLabels = labels.apply(tf);
            Operand<TFloat64> allOutputs = outputs.apply(tf);
            List<List<Op>> updates = List.of(
                    metric.updateStateList(tf, rows(tf, allLabels, 0), rows(tf, allOutputs, 0), null),
                    metric.updateStateList(tf, rows(tf, allLabels, 4), rows(tf, allOutputs, 4), null));
            Operand<TFloat64> result = metric.result(tf, TFloat64.class);
            double[] results = new double[updates.size()];
            for (int i = 0; i < updates.size(); i++) {
                Session.Runner update = session.runner();
                updates.get(i).forEach(update::addTarget);
                update.run().close();
                try (Result r = session.runner().fetch(result).run()) {
                    results[i] = ((TFloat64) r.get(0)).getDouble();
                }
            }
            return results;
        }
    }

    /** Rows {@code from .. from + 3} of a matrix or vector. */
    private static Operand<TFloat64> rows(Ops tf, Operand<TFloat64> x, long from) {
        int rank = x.shape().numDimensions();
        long[] begin = new long[rank];
        long[] size = new long[rank];
        Arrays.fill(size, -1);
        begin[0] = from;
        size[0] = 4;
        return tf.slice(x, tf.constant(begin), tf.constant(size));
    }

    /** The share of rows {@code from .. to - 1} whose first argmax is the label, counted in Java. */
    private static double accuracy(int from, int to) {
        long right = IntStream.range(from, to).filter(i -> firstArgMax(OUTPUTS[i]) == LABELS[i]).count();
        return (double) right / (to - from);
    }

    private static int firstArgMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    private static double[][] oneHot(int[] classes) {
        double[][] out = new double[classes.length][CLASSES];
        for (int i = 0; i < classes.length; i++) {
            out[i][classes[i]] = 1;
        }
        return out;
    }

    private static double[] labelsAsDoubles() {
        return Arrays.stream(LABELS).asDoubleStream().toArray();
    }

    private static double[] predictedAsDoubles() {
        return Arrays.stream(OUTPUTS).mapToDouble(FrameworkMetricsTest::firstArgMax).toArray();
    }

    /**
     * How many examples have each (label, prediction) pair, row-major: rows labels as in
     * {@code tf.math.confusion_matrix}, or rows predictions if {@code transposed}.
     */
    private static double[] javaConfusionMatrix(boolean transposed) {
        double[] counts = new double[CLASSES * CLASSES];
        for (int i = 0; i < LABELS.length; i++) {
            int label = LABELS[i];
            int predicted = firstArgMax(OUTPUTS[i]);
            counts[transposed ? predicted * CLASSES + label : label * CLASSES + predicted]++;
        }
        return counts;
    }
}
