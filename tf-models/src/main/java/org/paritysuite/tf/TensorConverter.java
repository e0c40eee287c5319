package org.paritysuite.tf;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.paritysuite.fixtures.Doubles;
import org.paritysuite.fixtures.FixtureException;
import org.paritysuite.fixtures.Precision;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Copies ND4J arrays into TensorFlow tensors and back, in row-major ({@code 'c'}) order, which is
 * the order of both TensorFlow and the canonical layout.
 *
 * <p>Shapes are checked on the way in, before any native code sees the data: a wrong shape fed to
 * a session fails deep inside TensorFlow (or, for a variable assignment, not at all when it happens
 * to have the right size), so it is caught here with a message naming what was expected.
 *
 * <p>Arrays coming out are always fresh Java-heap copies: a tensor fetched from a
 * {@code VariableV2} shares memory with the variable, and every tensor dies with its
 * {@link org.tensorflow.Result}.
 */
final class TensorConverter {

    /** Stands for "any size" in an expected shape (the batch dimension). */
    static final long ANY = -1;

    private TensorConverter() {
    }

    /** The TensorFlow tensor type computing in {@code precision}: {@code TFloat32} or {@code TFloat64}. */
    static Class<? extends TFloating> tensorType(Precision precision) {
        return precision == Precision.FLOAT32 ? TFloat32.class : TFloat64.class;
    }

    /**
     * A new tensor of {@code type} holding {@code array}'s values, rounded to float32 for
     * {@code TFloat32}. The caller closes it.
     *
     * @param what     names the array in the error message, e.g. {@code batch inputs x}
     * @param expected the shape the array must have; {@link #ANY} matches any size
     * @throws FixtureException when the shape is not the expected one
     */
    static <T extends TFloating> T toTensor(String what, INDArray array, long[] expected, Class<T> type) {
        checkShape(what, array.shape(), expected);
        Shape shape = Shape.of(array.shape());
        if (type == TFloat32.class) {
            float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
            return type.cast(TFloat32.tensorOf(shape, DataBuffers.of(values, true, false)));
        }
        if (type == TFloat64.class) {
            double[] values = Doubles.of(array);
            return type.cast(TFloat64.tensorOf(shape, DataBuffers.of(values, true, false)));
        }
        throw new IllegalArgumentException("only TFloat32 and TFloat64 are supported, found " + type.getSimpleName());
    }

    /**
     * A copy of {@code array} holding what a tensor of {@code type} made from it by
     * {@link #toTensor} holds, for handing a fed value back: TensorFlow refuses to fetch a
     * placeholder it is fed.
     */
    static INDArray asFed(INDArray array, Class<? extends TFloating> type) {
        return array.castTo(type == TFloat32.class ? DataType.FLOAT : DataType.DOUBLE).dup('c');
    }

    /**
     * A copy of a float32 or float64 tensor as an ND4J array of the same type and shape (rank 0
     * stays rank 0).
     *
     * @param what     names the tensor in the error message, e.g. {@code gradient of dense/kernel}
     * @param expected the shape it must have; {@link #ANY} matches any size
     * @throws IllegalStateException when TensorFlow returned another shape or type: that is a bug
     *                               in the graph, not bad input
     */
    static INDArray toIndArray(String what, Tensor tensor, long[] expected) {
        long[] shape = tensor.shape().asArray();
        if (!matches(shape, expected)) {
            throw new IllegalStateException(what + ": TensorFlow returned shape " + Arrays.toString(shape)
                    + "; expected " + describe(expected));
        }
        int size = Math.toIntExact(tensor.shape().size());
        // Bulk copies both ways: Nd4j.create(float[], ...) writes its buffer element by element, a
        // measured 4 % of a trajectory run (docs/performance.md).
        if (tensor instanceof TFloat32 t) {
            float[] values = new float[size];
            t.copyTo(DataBuffers.of(values, false, false));
            if (shape.length == 0) {
                return Nd4j.scalar(values[0]);
            }
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
            out.data().asNioFloat().put(values);
            return out;
        }
        if (tensor instanceof TFloat64 t) {
            double[] values = new double[size];
            t.copyTo(DataBuffers.of(values, false, false));
            return Doubles.array(values, DataType.DOUBLE, shape);
        }
        throw new IllegalStateException(what + ": expected a float32 or float64 tensor, found " + tensor.dataType());
    }

    /** {@code [n, ...shape]}: a per-example shape with the batch dimension in front. */
    static long[] batchShape(long n, List<Integer> shape) {
        return LongStream.concat(LongStream.of(n), shape.stream().mapToLong(Integer::longValue)).toArray();
    }

    /** Throws a {@link FixtureException} naming {@code what}, unless {@code found} matches {@code expected}. */
    static void checkShape(String what, long[] found, long[] expected) {
        if (!matches(found, expected)) {
            throw new FixtureException(what + " has shape " + Arrays.toString(found) + "; expected " + describe(expected));
        }
    }

    private static boolean matches(long[] found, long[] expected) {
        if (found.length != expected.length) {
            return false;
        }
        for (int i = 0; i < found.length; i++) {
            if (expected[i] != ANY && expected[i] != found[i]) {
                return false;
            }
        }
        return true;
    }

    /** E.g. {@code [N, 784]}: a free first dimension is the batch size {@code N}, any other is {@code ?}. */
    private static String describe(long[] expected) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < expected.length; i++) {
            s.append(i == 0 ? "" : ", ").append(expected[i] != ANY ? Long.toString(expected[i]) : i == 0 ? "N" : "?");
        }
        return s.append(']').toString();
    }
}
