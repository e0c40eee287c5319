package org.paritysuite.harness.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.data.LabeledImages;
import org.paritysuite.fixtures.run.Batch;
import org.paritysuite.fixtures.run.UserInputs;
import org.paritysuite.fixtures.run.ModelRunner;
import org.paritysuite.fixtures.run.TensorKind;
import org.paritysuite.fixtures.run.Trace;
import org.paritysuite.fixtures.spec.ModelSpec;

/**
 * Scores one side on the test images at its current weights: an inference pass (dropout off,
 * batch normalization on its moving statistics) over batches of at most {@link #BATCH} images,
 * which updates nothing. The loss is the mean over all images (each batch's mean loss weighted by
 * its size, so a last smaller batch counts for what it holds), penalties included as in training;
 * the predicted class is the output's arg-max (the first on ties, on both sides alike).
 */
public final class EpochEvaluation {

    /**
     * Images per inference pass: small enough that ds541-cnn-a's 28x28x64 activations of a batch
     * stay well under a gigabyte in float64 on both sides.
     */
    public static final int BATCH = 100;

    private final List<Batch> batches = new ArrayList<>();
    private final int[] labels;

    /** Evaluation on every image of {@code test}; {@code source} names it in batch descriptions. */
    public EpochEvaluation(ModelSpec spec, LabeledImages test, String source) {
        labels = test.labels();
        for (int from = 0; from < test.size(); from += BATCH) {
            int n = Math.min(BATCH, test.size() - from);
            Batch b = Batch.fromRows(test.imagesScaled(spec.data().inputLow(), spec.data().inputHigh(), from, n),
                    test.oneHot(from, n, spec.classes()), spec.inputShape(), source + "[" + from + ":" + (from + n) + "]");
            batches.add(b.with(Map.of(), false));
        }
    }

    /** Evaluation on the first {@code n} examples of a user's own test file ({@code train --test-inputs}). */
    public EpochEvaluation(UserInputs test, int n) {
        labels = new int[n];
        for (int from = 0; from < n; from += BATCH) {
            Batch b = test.slice(from, Math.min(BATCH, n - from));
            int[] classes = b.y().argMax(1).toIntVector();
            System.arraycopy(classes, 0, labels, from, classes.length);
            batches.add(b.with(Map.of(), false));
        }
    }

    /** The true class of every test image. */
    public int[] labels() {
        return labels.clone();
    }

    /** A side's score and its predicted class for every test image. */
    public record Result(EpochRecord.Score score, int[] predicted) {
    }

    /** {@code runner} scored at its current weights. */
    public Result score(ModelRunner runner) {
        int[] predicted = new int[labels.length];
        double lossSum = 0;
        int correct = 0;
        int offset = 0;
        for (Batch b : batches) {
            Trace trace = runner.forwardBackward(b);
            INDArray probs = trace.ofKind(TensorKind.PROBS).get(0).value();
            INDArray argMax = probs.argMax(1);
            for (int i = 0; i < b.size(); i++) {
                predicted[offset + i] = argMax.getInt(i);
                if (predicted[offset + i] == labels[offset + i]) {
                    correct++;
                }
            }
            lossSum += trace.loss() * b.size();
            offset += b.size();
        }
        return new Result(new EpochRecord.Score(lossSum / labels.length, (double) correct / labels.length), predicted);
    }

    /** The fraction of images on which the two predictions differ. */
    public static double disagreement(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("predictions must be non-empty and of one length, found "
                    + a.length + " and " + b.length);
        }
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                differ++;
            }
        }
        return (double) differ / a.length;
    }
}
