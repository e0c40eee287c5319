package org.paritysuite.harness.run;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What each side predicts for every example of a case's batch, beside the true class: the
 * arg max of each side's output {@code [N, K]} and of the one-hot labels. Two outputs within
 * tolerance can still predict differently where an example's two largest outputs nearly tie. A
 * side that traced no output, or one of another shape than the labels, predicts {@link #NONE}
 * for every example (its checks say what went wrong).
 *
 * @param labels     the true class of each example
 * @param tensorflow TensorFlow's predicted class of each example
 * @param reference  the reference's predicted class of each example
 */
public record Predictions(int[] labels, int[] tensorflow, int[] reference) {

    /** The prediction of a side without a usable output. */
    public static final int NONE = -1;

    public Predictions {
        if (labels.length != tensorflow.length || labels.length != reference.length) {
            throw new IllegalArgumentException("predictions for " + labels.length + " labels, " + tensorflow.length
                    + " and " + reference.length + " outputs");
        }
        labels = labels.clone();
        tensorflow = tensorflow.clone();
        reference = reference.clone();
    }

    /** The predictions from the labels {@code y [N, K]} and both sides' outputs, if they traced one. */
    public static Predictions of(INDArray y, Optional<INDArray> tensorflowOutput, Optional<INDArray> referenceOutput) {
        return new Predictions(argMax(y), predicted(y, tensorflowOutput), predicted(y, referenceOutput));
    }

    private static int[] predicted(INDArray y, Optional<INDArray> output) {
        return output.filter(o -> Arrays.equals(o.shape(), y.shape())).map(Predictions::argMax)
                .orElseGet(() -> IntStream.generate(() -> NONE).limit(y.size(0)).toArray());
    }

    /** The indices of the examples the two sides classify differently. */
    public int[] disagreements() {
        return IntStream.range(0, labels.length).filter(i -> tensorflow[i] != reference[i]).toArray();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int[] tensorflow() {
        return tensorflow.clone();
    }

    @Override
    public int[] reference() {
        return reference.clone();
    }

    /** The first index of the largest element of each row (a NaN row predicts class 0). */
    private static int[] argMax(INDArray rows) {
        int n = (int) rows.size(0);
        int k = (int) rows.size(1);
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double v = rows.getDouble(i, j);
                if (v > max) {
                    max = v;
                    best[i] = j;
                }
            }
        }
        return best;
    }
}
