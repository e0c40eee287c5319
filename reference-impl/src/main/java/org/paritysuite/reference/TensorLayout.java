package org.paritysuite.reference;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.paritysuite.fixtures.FixtureException;

/**
 * How one example's tensor is laid out on each side of a comparison: the layout of a layer's input
 * or output, of a dropout mask, and of the gradient with respect to any of them. Three cases:
 * <pre>
 *   FLAT             [D]        TensorFlow [N, D]           =  reference [N, D]
 *   IMAGE            [H, W, C]  TensorFlow [N, H, W, C]     -> reference [N, C, H, W]    permute(0, 3, 1, 2)
 *                               reference  [N, C, H, W]     -> TensorFlow [N, H, W, C]   permute(0, 2, 3, 1)
 *   FLATTENED_IMAGE  [H*W*C]    TensorFlow [N, H*W*C], feature (h*W + w)*C + c  (NHWC flatten order)
 *                               reference  [N, C*H*W], feature (c*H + h)*W + w  (NCHW flatten order)
 * </pre>
 * A FLATTENED_IMAGE is what a {@link Flatten} makes of an IMAGE, and what every element-wise layer
 * after it (activation, dropout, batch normalization) keeps, until a Dense layer mixes the features
 * into a FLAT output. The two sides hold the same numbers in different places, so its conversion
 * is a permutation of the feature axis.
 *
 * <p>A permutation is its own gradient rule: if {@code x_tf = P x_ref} then
 * {@code dL/dx_ref = P^T dL/dx_tf}, and {@code P^T} is the inverse permutation. So values and
 * gradients convert with the same two methods.
 *
 * <p>{@link #featuresToReference(INDArray, int)} and {@link #featuresToTensorFlow(INDArray, int)}
 * apply the feature permutation along any one axis: axis 1 of a batch {@code [N, D]}, axis 0 of a
 * dense kernel {@code [D, M]} (its rows) or of a per-feature vector {@code [D]} (batch
 * normalization's gamma, beta and moving statistics after a flatten). {@link WeightLayout} uses
 * them for the parameters.
 *
 * <p>Every conversion returns a fresh c-order array in the data type of its argument (a permutation
 * only moves values, so it is exact in any precision) and never modifies the argument.
 */
public final class TensorLayout {

    /** The three layouts; see the class comment. */
    public enum Kind {
        /** {@code [D]}, the same on both sides. */
        FLAT,
        /** {@code [H, W, C]}: NHWC in TensorFlow, NCHW in the reference. */
        IMAGE,
        /** An image flattened: {@code [H*W*C]} in (h, w, c) order in TensorFlow, (c, h, w) order in the reference. */
        FLATTENED_IMAGE
    }

    private final Kind kind;
    private final int d;
    private final int h;
    private final int w;
    private final int c;

    private TensorLayout(Kind kind, int d, int h, int w, int c) {
        this.kind = kind;
        this.d = d;
        this.h = h;
        this.w = w;
        this.c = c;
    }

    /** {@code [D]}, the same on both sides. */
    public static TensorLayout flat(int d) {
        requirePositive(d);
        return new TensorLayout(Kind.FLAT, d, 0, 0, 0);
    }

    /** {@code [H, W, C]}: NHWC in TensorFlow, NCHW in the reference. */
    public static TensorLayout image(int h, int w, int c) {
        requirePositive(h, w, c);
        return new TensorLayout(Kind.IMAGE, h * w * c, h, w, c);
    }

    /** The flattened {@code [H, W, C]} image: {@code [H*W*C]} in two orders. */
    public static TensorLayout flattenedImage(int h, int w, int c) {
        requirePositive(h, w, c);
        return new TensorLayout(Kind.FLATTENED_IMAGE, h * w * c, h, w, c);
    }

    /**
     * The layout of a model's input of per-example shape {@code shape}: FLAT for {@code [D]}, IMAGE
     * for {@code [H, W, C]}.
     *
     * @param where names the model, for the message
     * @throws FixtureException for any other rank (the reference implements no layer that takes one)
     */
    public static TensorLayout ofInput(List<Integer> shape, String where) {
        return switch (shape.size()) {
            case 1 -> flat(shape.get(0));
            case 3 -> image(shape.get(0), shape.get(1), shape.get(2));
            default -> throw new FixtureException(where + ": input_shape " + shape + " is neither flat [D] nor an image"
                    + " [H, W, C]; the reference implements no other input");
        };
    }

    /** Which layout this is. */
    public Kind kind() {
        return kind;
    }

    /** The number of values per example, {@code D} or {@code H*W*C}. */
    public int size() {
        return d;
    }

    /** The per-example shape in TensorFlow layout: {@code [D]}, {@code [H, W, C]} or {@code [H*W*C]}. */
    public List<Integer> tensorFlowShape() {
        return kind == Kind.IMAGE ? List.of(h, w, c) : List.of(d);
    }

    /** The layout after a {@link Flatten}: an IMAGE becomes a FLATTENED_IMAGE, a flat layout stays as it is. */
    public TensorLayout flattened() {
        return kind == Kind.IMAGE ? flattenedImage(h, w, c) : this;
    }

    /**
     * A batch tensor in TensorFlow layout, converted to the reference layout.
     *
     * @param tensorFlow {@code [N, D]}, {@code [N, H, W, C]} or {@code [N, H*W*C]}
     * @return {@code [N, D]}, {@code [N, C, H, W]} or {@code [N, C*H*W]}, a new array
     */
    public INDArray toReference(INDArray tensorFlow) {
        requireBatch(tensorFlow, "TensorFlow");
        return switch (kind) {
            case FLAT -> tensorFlow.dup('c');
            case IMAGE -> tensorFlow.permute(0, 3, 1, 2).dup('c');                       // NHWC -> NCHW
            case FLATTENED_IMAGE -> featuresToReference(tensorFlow, 1);
        };
    }

    /**
     * A batch tensor in the reference layout, converted to TensorFlow layout: the inverse of
     * {@link #toReference(INDArray)}.
     */
    public INDArray toTensorFlow(INDArray reference) {
        requireBatch(reference, "reference");
        return switch (kind) {
            case FLAT -> reference.dup('c');
            case IMAGE -> reference.permute(0, 2, 3, 1).dup('c');                        // NCHW -> NHWC
            case FLATTENED_IMAGE -> featuresToTensorFlow(reference, 1);
        };
    }

    /**
     * Moves the features along {@code axis} from TensorFlow's order to the reference's: the value at
     * TensorFlow index {@code (h*W + w)*C + c} goes to reference index {@code (c*H + h)*W + w}. The
     * identity copy for FLAT and IMAGE (an image's features are not on one axis; see
     * {@link #toReference(INDArray)}).
     *
     * @param a    any array whose {@code axis} has {@link #size()} elements
     * @param axis 1 for a batch {@code [N, D]}, 0 for kernel rows {@code [D, M]} or a vector {@code [D]}
     */
    public INDArray featuresToReference(INDArray a, int axis) {
        return permuteFeatures(a, axis, true);
    }

    /** The inverse of {@link #featuresToReference(INDArray, int)}: reference feature order back to TensorFlow's. */
    public INDArray featuresToTensorFlow(INDArray a, int axis) {
        return permuteFeatures(a, axis, false);
    }

    /**
     * Views {@code a} as {@code [P, D, Q]} (the axes before, at and after {@code axis}), splits
     * {@code D} into the three image axes and swaps them:
     * <pre>
     *   to the reference:  [P, H, W, C, Q] -> permute(0, 3, 1, 2, 4) -> [P, C, H, W, Q]
     *   to TensorFlow:     [P, C, H, W, Q] -> permute(0, 2, 3, 1, 4) -> [P, H, W, C, Q]
     * </pre>
     * and reshapes back to the shape of {@code a}.
     */
    private INDArray permuteFeatures(INDArray a, int axis, boolean toReference) {
        if (a.size(axis) != d) {
            throw new IllegalArgumentException(this + ": axis " + axis + " must have " + d + " features, found shape "
                    + Arrays.toString(a.shape()));
        }
        if (kind != Kind.FLATTENED_IMAGE) {
            return a.dup('c');
        }
        long[] shape = a.shape();
        long p = 1;
        for (int i = 0; i < axis; i++) {
            p *= shape[i];
        }
        long q = a.length() / (p * d);
        // reshape is a view of a c-order array and a copy of anything else; the dup below copies either way,
        // so the result never shares memory with a
        INDArray moved = toReference
                ? a.reshape('c', p, h, w, c, q).permute(0, 3, 1, 2, 4)                  // (h, w, c) -> (c, h, w)
                : a.reshape('c', p, c, h, w, q).permute(0, 2, 3, 1, 4);                 // (c, h, w) -> (h, w, c)
        return moved.dup('c').reshape('c', shape);
    }

    private void requireBatch(INDArray a, String side) {
        long[] expected = kind != Kind.IMAGE ? new long[] {Shapes.ANY, d}
                : side.equals("TensorFlow") ? new long[] {Shapes.ANY, h, w, c}
                : new long[] {Shapes.ANY, c, h, w};
        Shapes.require(a, this + ", " + side + " layout", "a batch tensor", expected);
    }

    private static void requirePositive(int... sizes) {
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("TensorLayout: sizes must be positive, found " + Arrays.toString(sizes));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorLayout other && kind == other.kind && d == other.d && h == other.h && w == other.w
                && c == other.c;
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + d) * 31 + h) * 31 * 31 + w * 31 + c;
    }

    /** {@code FLAT [6]}, {@code IMAGE [H=5, W=5, C=2]}, {@code FLATTENED_IMAGE [H=4, W=4, C=3]}. */
    @Override
    public String toString() {
        return kind == Kind.FLAT ? "FLAT [" + d + "]" : kind + " [H=" + h + ", W=" + w + ", C=" + c + "]";
    }
}
