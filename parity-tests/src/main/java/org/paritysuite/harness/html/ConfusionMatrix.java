package org.paritysuite.harness.html;

/**
 * One side's confusion matrix: how many examples of each true class it predicted as each class.
 *
 * @param side   whose predictions ({@code TensorFlow}, {@code reference})
 * @param counts {@code counts[t][p]}, the examples of true class {@code t} predicted as {@code p}
 */
public record ConfusionMatrix(String side, int[][] counts) {

    public ConfusionMatrix {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != counts.length) {
                throw new IllegalArgumentException("a confusion matrix is square, found row " + i + " of "
                        + counts[i].length + " in " + counts.length + " rows");
            }
        }
        counts = copy(counts);
    }

    /** The matrix of {@code predicted} against {@code labels}, over {@code classes} classes. */
    public static ConfusionMatrix of(String side, int[] labels, int[] predicted, int classes) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predicted.length + " predictions");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("example " + i + ": class " + labels[i] + " predicted as "
                        + predicted[i] + ", expected classes 0 to " + (classes - 1));
            }
            counts[labels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(side, counts);
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** The examples of true class {@code truth} predicted as {@code predicted}. */
    public int count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** Every example counted. */
    public int total() {
        int n = 0;
        for (int[] row : counts) {
            for (int c : row) {
                n += c;
            }
        }
        return n;
    }

    /** The examples predicted as their true class. */
    public int correct() {
        int n = 0;
        for (int i = 0; i < counts.length; i++) {
            n += counts[i][i];
        }
        return n;
    }

    @Override
    public int[][] counts() {
        return copy(counts);
    }

    private static int[][] copy(int[][] counts) {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }
}
