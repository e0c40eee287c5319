package org.paritysuite.reference;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling, channel by channel: {@code out = the mean of each channel over the whole image}.
 *
 * <p>Forward:
 * <pre>
 *   x    [N, C, H, W]   input images, NCHW
 *   out  [N, C]         out[n, c] = (1 / (H W)) sum_{h, w} x[n, c, h, w]
 * </pre>
 * It is the average pooling whose one window is the whole image ({@link AvgPool2D} with
 * {@code KH = H}, {@code KW = W}, {@code valid}), without the two axes of size 1. Its output is one
 * value per channel, in the same order on both sides ({@code [N, C]} in TensorFlow too), so no
 * flatten permutation follows it.
 *
 * <p>Backward: every pixel contributed {@code x / (H W)} to its channel's mean, so
 * {@code dX[n, c, h, w] = dOut[n, c] / (H W)}: each channel's gradient spread evenly over its
 * pixels.
 *
 * <p>The layer caches only the input shape; the arithmetic is in the input's data type (see
 * {@link Precision}): the sum is rounded after every addition, then divided once.
 */
public final class GlobalAvgPool2D implements Layer {

    private static final String WHERE = "GlobalAvgPool2D";

    /** The input shape {@code [N, C, H, W]} of the last forward pass. */
    private long[] inputShape;
    private Precision precision;

    /**
     * {@code out[n, c] = (1 / (H W)) sum_{h, w} x[n, c, h, w]}.
     *
     * @param x {@code [N, C, H, W]} with {@code H, W >= 1}, FLOAT or DOUBLE
     * @return {@code [N, C]}
     */
    @Override
    public INDArray forward(INDArray x) {
        Shapes.require(x, WHERE + ".forward", "x", Shapes.ANY, Shapes.ANY, Shapes.ANY, Shapes.ANY);
        if (x.size(2) < 1 || x.size(3) < 1) {
            throw new IllegalArgumentException(WHERE + ".forward: x must have at least one pixel per channel, found "
                    + Arrays.toString(x.shape()));
        }
        Precision precision = Precision.of(x, WHERE + ".forward");
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int pixels = (int) (x.size(2) * x.size(3));                 // H W: one channel of one image
        double[] in = Precision.values(x);
        double[] out = new double[n * c];
        for (int plane = 0; plane < n * c; plane++) {              // plane n C + c is out[n, c] in c order
            double sum = 0;
            for (int p = 0; p < pixels; p++) {
                sum = precision.round(sum + in[plane * pixels + p]);
            }
            out[plane] = precision.round(sum / pixels);
        }
        this.inputShape = x.shape();
        this.precision = precision;
        return precision.array(out, n, c);
    }

    /**
     * {@code dX}: each channel's {@code dOut}, divided by its pixel count, on every pixel.
     *
     * @param dOut {@code [N, C]}
     * @return {@code dX [N, C, H, W]}
     */
    @Override
    public INDArray backward(INDArray dOut) {
        Shapes.requireForwardDone(inputShape, WHERE);
        Shapes.require(dOut, WHERE + ".backward", "dOut", inputShape[0], inputShape[1]);
        if (Precision.of(dOut, WHERE + ".backward") != precision) {
            throw new IllegalArgumentException(WHERE + ".backward: dOut is " + dOut.dataType()
                    + " but the forward input was " + precision.dataType() + "; convert one of them first");
        }
        int pixels = (int) (inputShape[2] * inputShape[3]);
        double[] gradOut = Precision.values(dOut);
        double[] gradIn = new double[gradOut.length * pixels];
        for (int plane = 0; plane < gradOut.length; plane++) {
            // in the forward pass this was: out = sum / (H W), so each pixel's share is:
            double share = precision.round(gradOut[plane] / pixels);
            for (int p = 0; p < pixels; p++) {
                // in the forward pass this was: sum += x[pixel], each pixel once, so now:
                gradIn[plane * pixels + p] = share;
            }
        }
        return precision.array(gradIn, inputShape);
    }

    @Override
    public String toString() {
        return WHERE;
    }
}
