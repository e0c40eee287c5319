package org.paritysuite.reference;

import org.paritysuite.fixtures.Doubles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic of the layers whose inner loops are written out in Java ({@link Conv2DNaive},
 * {@link Im2Col#col2im}, {@link MaxPool2D}, {@link AvgPool2D}, {@link GlobalAvgPool2D}): the loops read the elements as
 * {@code double}s and round every single result of {@code +}, {@code -}, {@code *}, {@code /} to the
 * arrays' own type with {@link #round(double)}.
 *
 * <p>NOTE: for float32 this is not an approximation of float32 arithmetic, it <em>is</em> float32
 * arithmetic. Every float32 value is exact in float64, and one operation on two float32 operands,
 * done in float64 (53-bit significand) and then rounded to float32 (24 bits), gives the very same
 * float32 as the operation done in float32 directly, because {@code 53 >= 2 * 24 + 2} (double
 * rounding is innocuous; S. A. Figueroa, "When is double rounding innocuous?", SIGNUM Newsletter
 * 30(3), 1995). So a float32 run of these loops rounds after every step as a float32 program would,
 * e.g. {@code 1f + 2^-24 == 1f}. What the loops must not do is keep a running {@code double} sum
 * without rounding it: that would be a float64 computation with a float32 result.
 */
enum Precision {

    /** float32: every result rounded to the nearest float. */
    FLOAT32(DataType.FLOAT) {
        @Override
        double round(double value) {
            return (float) value;
        }
    },

    /** float64: nothing to round. */
    FLOAT64(DataType.DOUBLE) {
        @Override
        double round(double value) {
            return value;
        }
    };

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    /** The precision of {@code a}; an {@link IllegalArgumentException} naming {@code where} for other types. */
    static Precision of(INDArray a, String where) {
        return switch (a.dataType()) {
            case FLOAT -> FLOAT32;
            case DOUBLE -> FLOAT64;
            default -> throw new IllegalArgumentException(where + ": supports FLOAT and DOUBLE arrays, found "
                    + a.dataType());
        };
    }

    /** {@code value} rounded to this precision: the result of one arithmetic operation in it. */
    abstract double round(double value);

    /** The data type of arrays of this precision. */
    DataType dataType() {
        return dataType;
    }

    /** The elements of {@code a} in c order (row-major), as {@code double}s; exact for both types. */
    static double[] values(INDArray a) {
        return Doubles.of(a);
    }

    /**
     * A new c-order array of this precision holding {@code values}, which must already be rounded to
     * it (so the conversion is exact); one bulk write ({@link Doubles#array}).
     */
    INDArray array(double[] values, long... shape) {
        return Doubles.array(values, dataType, shape);
    }
}
